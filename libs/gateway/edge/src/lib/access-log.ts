import { ascii, integer, jsonString, jsonStringBound, millis } from './access-line-encoder';
import { LineBuffer } from './line-buffer';

export interface AccessRecord {
  requestId: string;
  traceId: string;
  method: string;
  path: string;
  route: string | undefined;
  cluster: string | undefined;
  destination: string | undefined;
  status: number;
  durationMs: number;
  upstreamMs: number | undefined;
  bytesIn: number;
  bytesOut: number;
  attempts: number;
  breaker: string | undefined;
  clientIp: string;
  error: string | undefined;
  notes?: Record<string, string | number | boolean>;
}

export type AccessLog = (record: AccessRecord) => void;

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** Room for what `encodeAccessLine` writes besides strings: keys, punctuation, the time, 6 numbers. */
const FIXED_BYTES = 512;

/** Encodes into a scratch buffer and returns the text (tests, and callers that need a string). */
function encodeToString<T>(bound: number, encode: (out: Buffer, at: number, arg: T) => number, arg: T): string {
  const out = Buffer.allocUnsafe(bound);
  return out.toString('utf8', 0, encode(out, 0, arg));
}

/**
 * Milliseconds to the microsecond, as JSON: `12.345`. Printing a double costs ≈ 0.5 µs (V8's
 * shortest round-trip digits), two per line; integers cost next to nothing.
 */
export const formatMillis = (ms: number): string => encodeToString(32, millis, ms);

let secondStart = -1;
let secondPrefix = '';

/** `2026-11-30T03:36:02.`: formatted once per second. Undefined for times toISOString must print. */
function secondPrefixOf(ms: number): string | undefined {
  if (!Number.isInteger(ms) || ms < 0) return undefined;
  const second = ms - (ms % 1000);
  if (second !== secondStart) {
    secondStart = second;
    secondPrefix = new Date(second).toISOString().slice(0, 20);
  }
  return secondPrefix;
}

/** The ISO time of an epoch ms, as toISOString prints it, into `out`. */
function isoTimeInto(out: Buffer, at: number, ms: number): number {
  const prefix = secondPrefixOf(ms);
  if (prefix === undefined) return ascii(out, at, new Date(ms).toISOString());
  at = ascii(out, at, prefix);
  const m = ms % 1000;
  out[at] = 0x30 + Math.floor(m / 100);
  out[at + 1] = 0x30 + (Math.floor(m / 10) % 10);
  out[at + 2] = 0x30 + (m % 10);
  out[at + 3] = 0x5a; // Z
  return at + 4;
}

/** The ISO time of an epoch ms (`2026-11-30T03:36:02.123Z`), the part up to the second formatted once per second. */
export const isoTime = (ms: number): string => encodeToString(32, isoTimeInto, ms);

/** `,"name":"value"` when the value is defined. */
function optional(out: Buffer, at: number, key: string, value: string | undefined): number {
  return value === undefined ? at : jsonString(out, ascii(out, at, key), value);
}

const optionalBound = (value: string | undefined): number => (value === undefined ? 0 : jsonStringBound(value));

/** What `encodeAccessLine` may write at most for this record (notes already as JSON). */
function accessLineBound(service: string, record: AccessRecord, notes: string | undefined): number {
  const n =
    FIXED_BYTES +
    jsonStringBound(service) +
    jsonStringBound(record.requestId) +
    jsonStringBound(record.traceId) +
    jsonStringBound(record.method) +
    jsonStringBound(record.path) +
    jsonStringBound(record.clientIp) +
    optionalBound(record.route) +
    optionalBound(record.cluster) +
    optionalBound(record.destination) +
    optionalBound(record.breaker) +
    optionalBound(record.error);
  return notes === undefined ? n : n + notes.length * 3;
}

interface LineInput {
  service: string;
  record: AccessRecord;
  now: number;
  /** The record's notes as JSON (written as they are; their length bounds the line). */
  notes: string | undefined;
}

/** Points `input` at a record (the access log reuses one input for every line). */
function lineInput(input: LineInput, record: AccessRecord, now: number): LineInput {
  input.record = record;
  input.now = now;
  input.notes = record.notes === undefined ? undefined : JSON.stringify(record.notes);
  return input;
}

/**
 * One access line into `out` at `at`: the record's fields in order, undefined ones left out
 * (as JSON.stringify would), durations to the microsecond, in the apps' pino line shape.
 * Strings a client can influence (request id, path, client IP) are escaped unless plain.
 */
function encodeAccessLine(out: Buffer, at: number, input: LineInput): number {
  const { record } = input;
  at = ascii(out, at, record.status >= 500 ? '{"level":"warn","time":"' : '{"level":"info","time":"');
  at = isoTimeInto(out, at, input.now);
  at = jsonString(out, ascii(out, at, '","service":'), input.service);
  at = jsonString(out, ascii(out, at, ',"requestId":'), record.requestId);
  at = jsonString(out, ascii(out, at, ',"traceId":'), record.traceId);
  at = jsonString(out, ascii(out, at, ',"method":'), record.method);
  at = jsonString(out, ascii(out, at, ',"path":'), record.path);
  at = optional(out, at, ',"route":', record.route);
  at = optional(out, at, ',"cluster":', record.cluster);
  at = optional(out, at, ',"destination":', record.destination);
  at = integer(out, ascii(out, at, ',"status":'), record.status);
  at = millis(out, ascii(out, at, ',"durationMs":'), record.durationMs);
  if (record.upstreamMs !== undefined) at = millis(out, ascii(out, at, ',"upstreamMs":'), record.upstreamMs);
  at = integer(out, ascii(out, at, ',"bytesIn":'), record.bytesIn);
  at = integer(out, ascii(out, at, ',"bytesOut":'), record.bytesOut);
  at = integer(out, ascii(out, at, ',"attempts":'), record.attempts);
  at = optional(out, at, ',"breaker":', record.breaker);
  at = jsonString(out, ascii(out, at, ',"clientIp":'), record.clientIp);
  at = optional(out, at, ',"error":', record.error);
  if (input.notes !== undefined) {
    at = ascii(out, at, ',"notes":');
    at += out.write(input.notes, at, 'utf8');
  }
  return ascii(out, at, ',"msg":"request"}\n');
}

/** One access line as text (what the access log writes, byte for byte). */
export function formatAccessLine(service: string, record: AccessRecord, now = Date.now()): string {
  const input = lineInput({ service, record, now, notes: undefined }, record, now);
  return encodeToString(accessLineBound(service, record, input.notes), encodeAccessLine, input);
}

function stdoutLines(): LineBuffer {
  const lines = new LineBuffer(1);
  process.once('exit', () => lines.flushSync());
  return lines;
}

/**
 * One JSON line per request, in the same shape as the apps' pino lines (level, time,
 * service, msg), written by hand: the record has a fixed shape built from non-secret fields
 * (only the path is logged — queries may carry credentials; no headers, tokens, cookies or
 * keys), so no serializer or redaction pass runs per line. Lines are buffered (one write per
 * 256 KiB or per second, never blocking the event loop) and flushed on exit. A generic
 * JSON.stringify of the record through pino's SonicBoom cost ≈ 5.5 µs a line; a hand-built
 * string ≈ 2 µs plus its encoding; encoded straight into the write buffer, less again.
 */
export function createAccessLog(service: string, level = 'info', sink?: LineBuffer): AccessLog {
  const threshold = LEVELS[level] ?? 30;
  if (threshold > 40) return () => undefined;
  const lines = sink ?? stdoutLines();
  // One input object for every line: encoding is synchronous, nothing keeps it.
  const input: LineInput = { service, record: undefined as unknown as AccessRecord, now: 0, notes: undefined };
  return (record) => {
    if (record.status < 500 && threshold > 30) return;
    lineInput(input, record, Date.now());
    lines.pushEncoded(accessLineBound(service, record, input.notes), encodeAccessLine, input);
    input.record = undefined as unknown as AccessRecord;
  };
}
