/**
 * Every type's format (formats/format.ts), gathered from the data files under formats/data/, one per service.
 * A contributor adds a type by adding an entry to its service's file (or a new file listed here).
 */
import type { TypeFormat } from './format.js';
import { formats as ec2 } from './data/ec2.js';
import { formats as ecr } from './data/ecr.js';
import { formats as kms } from './data/kms.js';
import { formats as logs } from './data/logs.js';
import { formats as s3 } from './data/s3.js';
import { formats as sqs } from './data/sqs.js';
import { formats as wafv2 } from './data/wafv2.js';

const FILES: readonly Readonly<Record<string, TypeFormat>>[] = [ec2, ecr, kms, logs, s3, sqs, wafv2];

const FORMATS: ReadonlyMap<string, TypeFormat> = new Map(FILES.flatMap((file) => Object.entries(file)));

/** The type's format, or undefined when no one has described it yet (the generic rules apply). */
export function formatOf(typeName: string): TypeFormat | undefined {
  return FORMATS.get(typeName);
}

/** Every described type and its format, for the data checks and the realism report. */
export function allFormats(): ReadonlyMap<string, TypeFormat> {
  return FORMATS;
}
