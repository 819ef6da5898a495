// Protobuf codec for physical plan fragments and the file sources they scan
// (engine/plan/physical.ts, engine/io/source.ts <-> kindling.PhysicalPlan). One encoder per
// PhysicalKind and one decoder per wire case, each table exhaustive. Option maps are written in
// sorted key order so equal plans encode to equal bytes.
import * as pb from "../../../proto/gen/kindling.js";
import type { FileFormat, FileSource, SourceFile, Split } from "../../io/source.js";
import type { DataType } from "../../types/data-type.js";
import type { PhysicalKind, PhysicalPlan, WriteFilesExec } from "../physical.js";
import { exprFromPb, exprToPb } from "./exprs.js";
import { type PlanCodec, shuffleDecoders, shuffleEncoders } from "./shuffle-plans.js";
import {
  CodecError,
  fromInt64,
  int32,
  literalFromPb,
  literalToPb,
  need,
  schemaFromPb,
  schemaToPb,
  toInt64,
} from "./values.js";

// ---- small pieces -----------------------------------------------------------------------

const FORMATS: { [F in FileFormat]: pb.FileFormat } = {
  csv: pb.FileFormat.FILE_FORMAT_CSV,
  parquet: pb.FileFormat.FILE_FORMAT_PARQUET,
  json: pb.FileFormat.FILE_FORMAT_JSON,
};
const WRITE_FORMATS: { [F in WriteFilesExec["format"]]: pb.FileFormat } = {
  parquet: pb.FileFormat.FILE_FORMAT_PARQUET,
  csv: pb.FileFormat.FILE_FORMAT_CSV,
};

/** The key of `table` whose value is `v`, or a CodecError. */
export function enumFromPb<K extends string>(
  table: { readonly [k in K]: number },
  v: number,
  what: string,
): K {
  for (const k in table) if (table[k] === v) return k;
  throw new CodecError(`${what}: unknown enum value ${v}`);
}

function optionsToPb(o: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function optionsFromPb(m: Map<string, string>): Record<string, string> {
  // Object.fromEntries defines own properties, so even a "__proto__" key round-trips.
  return Object.fromEntries(m);
}

const ints32 = (xs: readonly number[], what: string): number[] => xs.map((x) => int32(x, what));

function partitionTypes(src: FileSource, f: SourceFile): readonly DataType[] {
  const fields = src.partitionSchema.fields;
  if (f.partitionValues.length !== fields.length) {
    throw new CodecError(
      `file "${f.path}" has ${f.partitionValues.length} partition values; the partition schema has ${fields.length} columns`,
    );
  }
  return fields.map((x) => x.type);
}

export function fileSourceToPb(s: FileSource): pb.FileSource {
  return {
    format: FORMATS[s.format],
    rootPaths: [...s.rootPaths],
    files: s.files.map((f) => {
      const types = partitionTypes(s, f);
      return {
        path: f.path,
        size: toInt64(f.size, `size of "${f.path}"`),
        partitionValues: f.partitionValues.map((v, i) => literalToPb(v, types[i]!)),
      };
    }),
    dataSchema: schemaToPb(s.dataSchema),
    partitionSchema: schemaToPb(s.partitionSchema),
    options: optionsToPb(s.options),
  };
}

export function fileSourceFromPb(m: pb.FileSource): FileSource {
  const partitionSchema = schemaFromPb(need(m.partitionSchema, "FileSource.partitionSchema"));
  const types = partitionSchema.fields.map((f) => f.type);
  return {
    format: enumFromPb(FORMATS, m.format, "FileSource.format"),
    rootPaths: m.rootPaths,
    files: m.files.map((f) => {
      if (f.partitionValues.length !== types.length) {
        throw new CodecError(`file "${f.path}": partition values do not match the partition schema`);
      }
      return {
        path: f.path,
        size: fromInt64(f.size, `size of "${f.path}"`),
        partitionValues: f.partitionValues.map((v, i) => literalFromPb(v, types[i]!)),
      };
    }),
    dataSchema: schemaFromPb(need(m.dataSchema, "FileSource.dataSchema")),
    partitionSchema,
    options: optionsFromPb(m.options),
  };
}

const splitToPb = (s: Split): pb.Split => ({
  file: int32(s.file, "Split.file"),
  start: toInt64(s.start, "Split.start"),
  length: toInt64(s.length, "Split.length"),
  rowGroups: ints32(s.rowGroups, "Split.rowGroups"),
});

const splitFromPb = (m: pb.Split): Split => ({
  file: m.file,
  start: fromInt64(m.start, "Split.start"),
  length: fromInt64(m.length, "Split.length"),
  rowGroups: m.rowGroups,
});

// ---- plan nodes -------------------------------------------------------------------------

type PlanOf<K extends PhysicalKind> = Extract<PhysicalPlan, { kind: K }>;
type PbNode = NonNullable<pb.PhysicalPlan["node"]>;
type PbCase = PbNode["$case"];

const codec: PlanCodec = { toPb: (p) => planToPb(p), fromPb: (m) => planFromPb(m) };

const encoders: { [K in PhysicalKind]: (p: PlanOf<K>) => PbNode } = {
  ...shuffleEncoders(codec),
  ScanExec: (p) => ({
    $case: "scanExec",
    value: {
      source: fileSourceToPb(p.source),
      splits: p.splits.map(splitToPb),
      columns: ints32(p.columns, "ScanExec.columns"),
      filters: p.filters.map(exprToPb),
      schema: schemaToPb(p.schema),
    },
  }),
  LocalScanExec: (p) => ({
    $case: "localScanExec",
    value: {
      ipc: p.ipc,
      numPartitions: int32(p.numPartitions, "LocalScanExec.numPartitions"),
      schema: schemaToPb(p.schema),
    },
  }),
  FilterExec: (p) => ({
    $case: "filterExec",
    value: { input: planToPb(p.input), condition: exprToPb(p.condition), schema: schemaToPb(p.schema) },
  }),
  ProjectExec: (p) => ({
    $case: "projectExec",
    value: { input: planToPb(p.input), exprs: p.exprs.map(exprToPb), schema: schemaToPb(p.schema) },
  }),
  LimitExec: (p) => ({
    $case: "limitExec",
    value: { input: planToPb(p.input), n: toInt64(p.n, "LimitExec.n"), schema: schemaToPb(p.schema) },
  }),
  UnionExec: (p) => ({
    $case: "unionExec",
    value: { inputs: p.inputs.map(planToPb), schema: schemaToPb(p.schema) },
  }),
  SampleExec: (p) => ({
    $case: "sampleExec",
    value: {
      input: planToPb(p.input),
      fraction: p.fraction,
      withReplacement: p.withReplacement,
      seed: toInt64(p.seed, "SampleExec.seed"),
      schema: schemaToPb(p.schema),
    },
  }),
  WriteFilesExec: (p) => ({
    $case: "writeFilesExec",
    value: {
      input: planToPb(p.input),
      format: WRITE_FORMATS[p.format],
      jobRoot: p.jobRoot,
      partitionBy: ints32(p.partitionBy, "WriteFilesExec.partitionBy"),
      options: optionsToPb(p.options),
      schema: schemaToPb(p.schema),
    },
  }),
};

const input = (m: pb.PhysicalPlan | undefined, what: string) => planFromPb(need(m, `${what}.input`));
const schema = (m: pb.Schema | undefined, what: string) => schemaFromPb(need(m, `${what}.schema`));

const decoders: { [C in PbCase]: (v: Extract<PbNode, { $case: C }>["value"]) => PhysicalPlan } = {
  ...shuffleDecoders(codec),
  scanExec: (v) => ({
    kind: "ScanExec",
    source: fileSourceFromPb(need(v.source, "ScanExec.source")),
    splits: v.splits.map(splitFromPb),
    columns: v.columns,
    filters: v.filters.map(exprFromPb),
    schema: schema(v.schema, "ScanExec"),
  }),
  localScanExec: (v) => ({
    kind: "LocalScanExec",
    // A copy: the decoded plan must not alias (or pin) the buffer the message arrived in.
    ipc: new Uint8Array(v.ipc),
    numPartitions: v.numPartitions,
    schema: schema(v.schema, "LocalScanExec"),
  }),
  filterExec: (v) => ({
    kind: "FilterExec",
    input: input(v.input, "FilterExec"),
    condition: exprFromPb(need(v.condition, "FilterExec.condition")),
    schema: schema(v.schema, "FilterExec"),
  }),
  projectExec: (v) => ({
    kind: "ProjectExec",
    input: input(v.input, "ProjectExec"),
    exprs: v.exprs.map(exprFromPb),
    schema: schema(v.schema, "ProjectExec"),
  }),
  limitExec: (v) => ({
    kind: "LimitExec",
    input: input(v.input, "LimitExec"),
    n: fromInt64(v.n, "LimitExec.n"),
    schema: schema(v.schema, "LimitExec"),
  }),
  unionExec: (v) => ({
    kind: "UnionExec",
    inputs: v.inputs.map(planFromPb),
    schema: schema(v.schema, "UnionExec"),
  }),
  sampleExec: (v) => ({
    kind: "SampleExec",
    input: input(v.input, "SampleExec"),
    fraction: v.fraction,
    withReplacement: v.withReplacement,
    seed: fromInt64(v.seed, "SampleExec.seed"),
    schema: schema(v.schema, "SampleExec"),
  }),
  writeFilesExec: (v) => ({
    kind: "WriteFilesExec",
    input: input(v.input, "WriteFilesExec"),
    format: enumFromPb(WRITE_FORMATS, v.format, "WriteFilesExec.format"),
    jobRoot: v.jobRoot,
    partitionBy: v.partitionBy,
    options: optionsFromPb(v.options),
    schema: schema(v.schema, "WriteFilesExec"),
  }),
};

/** The wire message of a plan fragment. */
export function planToPb(p: PhysicalPlan): pb.PhysicalPlan {
  return { node: (encoders[p.kind] as (p: PhysicalPlan) => PbNode)(p) };
}

/** The plan fragment of a wire message. */
export function planFromPb(m: pb.PhysicalPlan): PhysicalPlan {
  const node = need(m.node, "PhysicalPlan.node (a plan node this version does not know?)");
  return (decoders[node.$case] as (v: unknown) => PhysicalPlan)(node.value);
}
