// What a flag is: its zod check, its parseArgs spec and its --help line, built from one entry
// (the entries themselves are in flag-table.ts). A flag's default is given once, as a value taken
// from the option's own exported default, and the check applies it while --help shows it.
import type { ParseArgsConfig } from 'node:util';
import { z } from 'zod';

/** One flag: what parseArgs reads, what zod checks, what --help says. */
export interface Flag<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  /** The value's name in --help ("N", "FILE"); a flag without one is a boolean switch. */
  readonly arg?: string;
  readonly short?: string;
  /** Repeatable: the values arrive as a list. */
  readonly multiple?: boolean;
  /** One sentence or a few; --help wraps it and appends "(default: ...)" from `shown`. */
  readonly help: string;
  /** The default as --help shows it; undefined: --help shows none. */
  readonly shown?: string;
}

interface Entry {
  arg?: string;
  short?: string;
  multiple?: boolean;
  help: string;
}

/** How --help writes a default value: Infinity is "no limit". */
export const show = (value: unknown): string => (value === Infinity ? 'no limit' : String(value));

/** A flag that, when absent, has the value `default` (pass the option's own exported default). `show` overrides how --help writes it. */
export function valued<S extends z.ZodType>(schema: S, entry: Entry & { default: z.output<S>; show?: string }): Flag<z.ZodDefault<S>> {
  const { default: value, show: shown = show(value), ...rest } = entry;
  return { ...rest, schema: schema.default(value as never) as z.ZodDefault<S>, shown };
}

/** A flag that may be absent; `show` says what the code does then, if --help should say it. */
export function optional<S extends z.ZodType>(schema: S, entry: Entry & { show?: string }): Flag<z.ZodOptional<S>> {
  const { show: shown, ...rest } = entry;
  return { ...rest, schema: schema.optional(), ...(shown === undefined ? {} : { shown }) };
}

/** A flag the command cannot run without. */
export function required<S extends z.ZodType>(schema: S, entry: Entry): Flag<S> {
  return { ...entry, schema };
}

/** A switch: true when given. */
export function toggle(entry: Omit<Entry, 'arg' | 'multiple'>): Flag<z.ZodOptional<z.ZodBoolean>> {
  return { ...entry, schema: z.boolean().optional() };
}

export type FlagTable = Record<string, Flag>;

/** The zod shape of a table: each flag's check under its name. */
export function shapeOf<T extends FlagTable>(table: T): { [K in keyof T]: T[K]['schema'] } {
  return Object.fromEntries(Object.entries(table).map(([name, flag]) => [name, flag.schema])) as { [K in keyof T]: T[K]['schema'] };
}

type Spec = NonNullable<ParseArgsConfig['options']>[string];

/** The parseArgs options of several tables; a name in two tables must be read the same way in both. */
export function specsOf(...tables: FlagTable[]): Record<string, Spec> {
  const specs: Record<string, Spec> = {};
  for (const table of tables)
    for (const [name, flag] of Object.entries(table)) {
      const spec: Spec = {
        type: flag.arg === undefined ? 'boolean' : 'string',
        ...(flag.short === undefined ? {} : { short: flag.short }),
        ...(flag.multiple ? { multiple: true } : {}),
      };
      const before = specs[name];
      if (before !== undefined && JSON.stringify(before) !== JSON.stringify(spec)) throw new Error(`flag --${name} is declared two ways`);
      specs[name] = spec;
    }
  return specs;
}

/** --help's label of a flag: "-q, --quiet", "--depth N". */
export const labelOf = (name: string, flag: Flag): string =>
  `${flag.short === undefined ? '' : `-${flag.short}, `}--${name}${flag.arg === undefined ? '' : ` ${flag.arg}`}`;

const labelWidth = 24;
const lineWidth = 100;

/** --help's lines for a table: the label, then the help wrapped beside it, ending with the default. */
export function helpOf(table: FlagTable): string {
  const indent = ' '.repeat(2 + labelWidth + 1);
  let text = '';
  for (const [name, flag] of Object.entries(table)) {
    const label = labelOf(name, flag);
    const words = `${flag.help}${flag.shown === undefined ? '' : ` (default: ${flag.shown})`}`.split(' ');
    let line = label.length < labelWidth ? `  ${label.padEnd(labelWidth)} ` : `  ${label}  `;
    let fresh = true;
    for (const word of words) {
      if (!fresh && line.length + 1 + word.length > lineWidth) {
        text += `${line}\n`;
        line = indent;
        fresh = true;
      }
      line += fresh ? word : ` ${word}`;
      fresh = false;
    }
    text += `${line}\n`;
  }
  return text;
}

// The checks that flags share.

/** A whole number >= min, written in digits. */
export const whole = (min: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number >= ${min}`)
    .transform(Number)
    .refine((n) => n >= min, `must be a whole number >= ${min}`);

/** A share, 0 to 1. */
export const share = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'must be a number from 0 to 1')
  .transform(Number);

/** A number of seconds, more than 0. */
export const seconds = z
  .string()
  .regex(/^(\d+(\.\d*)?|\.\d+)$/, 'must be a number of seconds, such as 30 or 0.5')
  .transform(Number)
  .refine((s) => s > 0, 'must be more than 0 seconds');

/** One of `values`. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** A regex flag, repeatable: compiled here, so a bad pattern is one line naming the flag, not a stack trace. */
export const patterns = () =>
  z.array(z.string()).transform((texts, ctx) =>
    texts.map((text) => {
      try {
        return new RegExp(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message, input: text });
        return z.NEVER;
      }
    }),
  );

/** `NAME=VALUE` pairs, repeatable, as a record; a pair without `=` or a NAME given twice is bad input. */
export const pairs = () =>
  z.array(z.string()).transform((texts, ctx) => {
    const record: Record<string, string> = {};
    for (const text of texts) {
      const m = /^([\w.-]+)=(.+)$/s.exec(text);
      if (m === null) ctx.addIssue({ code: 'custom', message: 'must be NAME=SELECTOR, NAME of letters, digits, _ . -', input: text });
      else if (Object.hasOwn(record, m[1]!)) ctx.addIssue({ code: 'custom', message: `${m[1]} is given twice`, input: text });
      else record[m[1]!] = m[2]!;
    }
    return record;
  });

/** An HTTP header name (RFC 9110 5.1: a token). */
const headerName = /^[!#$%&'*+.^_`|~\w-]+$/;

/**
 * `NAME: VALUE` request headers, repeatable, as a record by lower-case name; a name given twice has
 * its values joined (by "; " for Cookie, else by ", ", as RFC 9110 5.3 allows). VALUE may be empty,
 * and is sent empty. A line without a colon, a NAME that is not a token, a VALUE with a line break,
 * or a NAME in `owned` (lower-case name -> why) is bad input.
 */
export const headerLines = (owned: Readonly<Record<string, string>>) =>
  z
    .array(
      z.string().transform((text, ctx): [string, string] => {
        const colon = text.indexOf(':');
        const name = text.slice(0, colon).trim();
        const why =
          colon === -1
            ? "must be 'NAME: VALUE'"
            : name === ''
              ? "must be 'NAME: VALUE', NAME not empty"
              : !headerName.test(name)
                ? `${JSON.stringify(name)} is not a header name (letters, digits and !#$%&'*+-.^_\`|~)`
                : /[\0\r\n]/.test(text)
                  ? 'VALUE must not hold a line break'
                  : owned[name.toLowerCase()] === undefined
                    ? undefined
                    : `${name} is chancrawl's to set: ${owned[name.toLowerCase()]}`;
        if (why === undefined) return [name.toLowerCase(), text.slice(colon + 1).trim()];
        ctx.addIssue({ code: 'custom', message: why });
        return z.NEVER;
      }),
    )
    .transform((lines) => {
      const record: Record<string, string> = {};
      for (const [name, value] of lines) record[name] = Object.hasOwn(record, name) ? `${record[name]}${name === 'cookie' ? '; ' : ', '}${value}` : value;
      return record;
    });
