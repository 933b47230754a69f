module chancrawl/bench

go 1.19

require chancrawl/go v0.0.0

replace chancrawl/go => ../../go
