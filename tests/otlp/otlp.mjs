// OTLP trace export checks against OpenTelemetry's own message definitions.
//
// The definitions are opentelemetry-proto's, as compiled by @opentelemetry/otlp-transformer 0.216.0
// (build/src/generated/root.js: `pbjs -t static-module --null-defaults` over common, resource, trace
// and the trace collector service; 0.216.0 is the last release that still ships the trace messages
// generated, later ones keep only metrics there). Static protobufjs code has no reflection (no Type
// objects), so `reflect()` below recovers each message's schema from the generated class itself:
// its field names from the prototype defaults, each field's kind from the generated verify()'s
// answers, the type of a message field from what fromObject() builds, enum values from verify(),
// oneof members from the prototype's oneof getters, and 64-bit signedness from an encode/decode
// round trip. Nothing about the messages is written down here; only the OTLP/JSON rules
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) are.
//
// exports: checkJson(body) / checkProtobuf(bytes) -> { spans: [...] } or throw OtlpError;
//          encodeRequest(json) (OTLP/JSON object -> protobuf bytes, for tests); encodeStatus(code, msg).

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// By file: the package's "exports" do not list the generated code.
const root = require(path.join(here, "node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js"));
const protobuf = require("protobufjs/minimal");

export const ExportTraceServiceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
export const ExportTraceServiceResponse = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
const AnyValue = root.opentelemetry.proto.common.v1.AnyValue;
const KeyValue = root.opentelemetry.proto.common.v1.KeyValue;
const Resource = root.opentelemetry.proto.resource.v1.Resource;
const Span = root.opentelemetry.proto.trace.v1.Span;
const Link = root.opentelemetry.proto.trace.v1.Span.Link;

if (!protobuf.util.Long) throw new Error("protobufjs found no Long implementation (the 'long' package)");

export class OtlpError extends Error {}
const fail = (where, what) => {
  throw new OtlpError(where ? `${where}: ${what}` : what);
};

// --- schema recovered from the generated classes --------------------------------------------------

const VERIFY_KIND = /: (string|boolean|buffer|integer\|Long|integer|number|enum value)(\[\])? expected$/;
const KIND = { string: "string", boolean: "bool", buffer: "bytes", "integer|Long": "int64", integer: "int32", number: "double", "enum value": "enum" };
const schemas = new Map();

function reflect(Type) {
  if (schemas.has(Type)) return schemas.get(Type);
  const schema = { name: typeName(Type), fields: new Map(), oneofs: new Map() };
  schemas.set(Type, schema);  // before the fields: messages nest recursively (AnyValue)
  for (const [name, fallback] of Object.entries(Type.prototype)) {
    if (typeof fallback === "function") continue;  // toJSON
    const repeated = Array.isArray(fallback);
    const probe = repeated ? [{}] : {};
    const answer = Type.verify({ [name]: probe });
    const field = { name, repeated };
    if (answer === null) {
      field.kind = "message";
      const built = Type.fromObject({ [name]: probe })[name];
      field.type = (repeated ? built[0] : built).constructor;
    } else {
      const m = VERIFY_KIND.exec(answer);
      if (!m) throw new Error(`${schema.name}.${name}: cannot tell the field's type from "${answer}"`);
      field.kind = KIND[m[1]];
    }
    const one = (v) => (repeated ? [v] : v);
    if (field.kind === "enum") {
      field.values = new Set();
      for (let v = -8; v < 1024; v++) if (Type.verify({ [name]: one(v) }) === null) field.values.add(v);
    } else if (field.kind === "int64") {
      const decoded = Type.decode(Type.encode(Type.fromObject({ [name]: one("-1") })).finish())[name];
      field.unsigned = Boolean((repeated ? decoded[0] : decoded).unsigned);
    } else if (field.kind === "int32") {
      const built = Type.fromObject({ [name]: one(-1) })[name];
      field.unsigned = (repeated ? built[0] : built) !== -1;
    }
    schema.fields.set(name, field);
  }
  for (const [name, desc] of Object.entries(Object.getOwnPropertyDescriptors(Type.prototype))) {
    if (!desc.get || !desc.set) continue;  // a oneof: which of the fields set makes its getter answer
    const members = [...schema.fields.keys()].filter((f) => {
      const m = new Type();
      m[f] = 1;
      return m[name] === f;
    });
    if (members.length) schema.oneofs.set(name, members);
  }
  return schema;
}

function typeName(Type) {
  return typeof Type.getTypeUrl === "function" ? Type.getTypeUrl("").replace(/^\//, "") : Type.name;
}

/** The recovered schema of every message reachable from `Type`, for reports and the self-check. */
export function describeSchema(Type = ExportTraceServiceRequest) {
  const out = {};
  const visit = (T) => {
    const s = reflect(T);
    if (out[s.name]) return;
    out[s.name] = {};
    for (const f of s.fields.values()) {
      out[s.name][f.name] = `${f.repeated ? "repeated " : ""}${f.kind === "message" ? reflect(f.type).name : f.kind}` +
        (f.unsigned ? " (unsigned)" : "") + (f.values ? ` {${[...f.values].join(",")}}` : "");
    }
    for (const [o, members] of s.oneofs) out[s.name][`oneof ${o}`] = members.join("|");
    for (const f of s.fields.values()) if (f.kind === "message") visit(f.type);
  };
  visit(Type);
  return out;
}

// --- OTLP/JSON -> object protobufjs' fromObject takes --------------------------------------------

// OTLP/JSON writes these bytes fields as hex (every other bytes field is base64, as in proto3 JSON).
const HEX_ID_BYTES = { traceId: 16, spanId: 8, parentSpanId: 8 };
const DECIMAL = /^-?(0|[1-9][0-9]*)$/;
const BASE64 = /^([A-Za-z0-9+/_-]{4})*([A-Za-z0-9+/_-]{2}(==)?|[A-Za-z0-9+/_-]{3}=?)?$/;
const INT64 = { signed: [-(2n ** 63n), 2n ** 63n - 1n], unsigned: [0n, 2n ** 64n - 1n] };
const INT32 = { signed: [-(2n ** 31n), 2n ** 31n - 1n], unsigned: [0n, 2n ** 32n - 1n] };
const kindOf = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function integer(where, value, bits, unsigned) {
  let n;
  if (typeof value === "string") {
    if (!DECIMAL.test(value)) fail(where, `${JSON.stringify(value)} is not a decimal integer string`);
    n = BigInt(value);
  } else if (typeof value === "number") {
    if (!Number.isInteger(value)) fail(where, `${value} is not an integer`);
    if (bits === 64 && !Number.isSafeInteger(value)) {
      fail(where, `${value} as a JSON number loses precision: write 64-bit integers as decimal strings`);
    }
    n = BigInt(value);
  } else {
    fail(where, `expected ${bits === 64 ? "a decimal string (64-bit integer)" : "an integer"}, got ${kindOf(value)}`);
  }
  const [lo, hi] = (bits === 64 ? INT64 : INT32)[unsigned ? "unsigned" : "signed"];
  if (n < lo || n > hi) fail(where, `${value} is out of range for a${unsigned ? "n unsigned" : ""} ${bits}-bit integer`);
  return n;
}

function scalar(where, field, value) {
  switch (field.kind) {
    case "string":
      if (typeof value !== "string") fail(where, `expected a string, got ${kindOf(value)}`);
      return value;
    case "bool":
      if (typeof value !== "boolean") fail(where, `expected true or false, got ${kindOf(value)}`);
      return value;
    case "double":
      if (typeof value === "number" || ["NaN", "Infinity", "-Infinity"].includes(value)) return value;
      fail(where, `expected a number, got ${kindOf(value)}`);
      break;
    case "int32":
      integer(where, value, 32, field.unsigned);
      return Number(value);
    case "int64":
      integer(where, value, 64, field.unsigned);
      return String(value);
    case "enum":
      if (typeof value !== "number" || !Number.isInteger(value)) {
        fail(where, `enum values are integers in OTLP/JSON, got ${JSON.stringify(value)}`);
      }
      if (!field.values.has(value)) fail(where, `${value} is not a value of the enum (${[...field.values].join(", ")})`);
      return value;
    case "bytes": {
      if (typeof value !== "string") fail(where, `expected a string, got ${kindOf(value)}`);
      const idLength = HEX_ID_BYTES[field.name];
      if (idLength === undefined) {
        if (!BASE64.test(value)) fail(where, "bytes are base64 in OTLP/JSON");
        return value;
      }
      if (field.name === "parentSpanId" && value === "") return Buffer.alloc(0);  // a root span
      if (!new RegExp(`^[0-9a-f]{${idLength * 2}}$`).test(value)) {
        fail(where, `expected ${idLength * 2} lowercase hex digits (OTLP/JSON ids are hex, not base64), got ${JSON.stringify(value)}`);
      }
      if (/^0+$/.test(value)) fail(where, "an all-zero id is invalid");
      return Buffer.from(value, "hex");
    }
    default:
      throw new Error(`unhandled kind ${field.kind}`);
  }
}

// Checks `value` against message `Type` and returns the object for Type.fromObject (ids as bytes).
function convert(Type, value, where) {
  const schema = reflect(Type);
  if (kindOf(value) !== "object") fail(where, `expected a JSON object (${schema.name}), got ${kindOf(value)}`);
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    const field = schema.fields.get(key);
    const at = where ? `${where}.${key}` : key;
    if (!field) {
      const known = [...schema.fields.keys()].join(", ");
      fail(at, `unknown field of ${schema.name} (OTLP/JSON keys are the lowerCamelCase field names: ${known})`);
    }
    if (v === null) continue;  // proto3 JSON: null is the field's default
    if (field.repeated) {
      if (!Array.isArray(v)) fail(at, `expected an array, got ${kindOf(v)}`);
      out[key] = v.map((item, i) => {
        if (item === null) fail(`${at}[${i}]`, "null is not allowed in a repeated field");
        return field.kind === "message" ? convert(field.type, item, `${at}[${i}]`) : scalar(`${at}[${i}]`, field, item);
      });
    } else {
      out[key] = field.kind === "message" ? convert(field.type, v, at) : scalar(at, field, v);
    }
  }
  for (const [oneof, members] of schema.oneofs) {
    const set = members.filter((m) => m in out);
    if (set.length > 1) fail(where, `${set.join(" and ")} are both set but belong to one oneof (${oneof})`);
    if (Type === AnyValue && set.length !== 1) {
      fail(where, `an AnyValue holds exactly one of ${members.join(", ")}`);
    }
  }
  if (Type === KeyValue) {
    if (!out.key) fail(where, "an attribute needs a non-empty key");
    if (!("value" in out)) fail(where, `attribute ${JSON.stringify(out.key)} has no value`);
  }
  return out;
}

// --- the request as a whole -----------------------------------------------------------------------

function semantics(json) {
  const spans = [];
  (json.resourceSpans || []).forEach((rs, r) => {
    const at = `resourceSpans[${r}]`;
    const attrs = rs.resource?.attributes || [];
    const serviceName = attrs.find((a) => a.key === "service.name")?.value?.stringValue;
    if (typeof serviceName !== "string" || serviceName === "") {
      fail(`${at}.resource.attributes`, "the resource has no service.name string attribute");
    }
    (rs.scopeSpans || []).forEach((ss, s) => {
      (ss.spans || []).forEach((span, i) => {
        const where = `${at}.scopeSpans[${s}].spans[${i}]`;
        if (!span.traceId) fail(`${where}.traceId`, "missing");
        if (!span.spanId) fail(`${where}.spanId`, "missing");
        if (!span.name) fail(`${where}.name`, "a span needs a name");
        if (span.startTimeUnixNano == null || span.endTimeUnixNano == null) {
          fail(where, "startTimeUnixNano and endTimeUnixNano are required");
        }
        const start = BigInt(span.startTimeUnixNano);
        const end = BigInt(span.endTimeUnixNano);
        if (start <= 0n) fail(`${where}.startTimeUnixNano`, "must be a time after the epoch");
        if (start > end) fail(where, `startTimeUnixNano ${start} is after endTimeUnixNano ${end}`);
        if (span.parentSpanId && span.parentSpanId === span.spanId) fail(where, "a span cannot be its own parent");
        (span.links || []).forEach((link, l) => {
          if (!link.traceId || !link.spanId) fail(`${where}.links[${l}]`, "a link needs traceId and spanId");
        });
        spans.push({ ...span, service: serviceName, scope: ss.scope || {} });
      });
    });
  });
  return spans;
}

function roundTrip(converted) {
  const message = ExportTraceServiceRequest.fromObject(converted);
  const problem = ExportTraceServiceRequest.verify(message);
  if (problem) fail("", `protobufjs verify: ${problem}`);
  const bytes = ExportTraceServiceRequest.encode(message).finish();
  const again = ExportTraceServiceRequest.decode(bytes);
  const options = { longs: String, enums: Number, bytes: String, json: true };
  const a = JSON.stringify(ExportTraceServiceRequest.toObject(message, options));
  const b = JSON.stringify(ExportTraceServiceRequest.toObject(again, options));
  if (a !== b) fail("", "the request does not survive a protobuf encode/decode round trip");
  return bytes;
}

/** An OTLP/JSON ExportTraceServiceRequest (already JSON.parse'd): its spans, or throws OtlpError. */
export function checkJson(json) {
  const converted = convert(ExportTraceServiceRequest, json, "");
  const spans = semantics(json);
  roundTrip(converted);
  return { spans };
}

/** A binary (application/x-protobuf) ExportTraceServiceRequest: its spans in OTLP/JSON form. */
export function checkProtobuf(bytes) {
  let message;
  try {
    message = ExportTraceServiceRequest.decode(bytes);
  } catch (e) {
    fail("", `not a protobuf ExportTraceServiceRequest: ${e.message}`);
  }
  const problem = ExportTraceServiceRequest.verify(message);
  if (problem) fail("", `protobufjs verify: ${problem}`);
  const object = ExportTraceServiceRequest.toObject(message, { longs: String, enums: Number, bytes: String, json: true });
  const json = idsToHex(object);
  return checkJson(json);
}

// toObject writes every bytes field as base64; OTLP/JSON wants the ids as hex.
function idsToHex(value) {
  if (Array.isArray(value)) return value.map(idsToHex);
  if (kindOf(value) !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k in HEX_ID_BYTES && typeof v === "string" ? Buffer.from(v, "base64").toString("hex") : idsToHex(v);
  }
  return out;
}

/** OTLP/JSON request object -> application/x-protobuf body (checks it first). */
export function encodeRequest(json) {
  return roundTrip(convert(ExportTraceServiceRequest, json, ""));
}

/** google.rpc.Status {code = 1, message = 2} as protobuf, for error answers to protobuf requests. */
export function encodeStatus(code, message) {
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}

export const emptyResponseBytes = () => ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create()).finish();

// Fail at load time if the generated code is not what the probes expect.
for (const [type, field, kind] of [[Span, "traceId", "bytes"], [Span, "kind", "enum"], [Span, "startTimeUnixNano", "int64"],
  [Span, "attributes", "message"], [AnyValue, "intValue", "int64"], [Resource, "attributes", "message"], [Link, "spanId", "bytes"]]) {
  if (reflect(type).fields.get(field)?.kind !== kind) throw new Error(`schema probe: ${reflect(type).name}.${field} is not ${kind}`);
}
if (reflect(Span).fields.get("startTimeUnixNano").unsigned !== true || reflect(AnyValue).fields.get("intValue").unsigned !== false) {
  throw new Error("schema probe: 64-bit signedness not recovered");
}
