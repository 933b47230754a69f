module chancrawl/go

go 1.19
