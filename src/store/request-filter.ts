/**
 * A ListResourceRequests filter as the (operation, status) pairs it admits, for both stores' filtered listing
 * (issue #17): each pair is one range of the requests_filter index (migration 4), read newest first.
 */
import { OPERATIONS_ENUM, OPERATION_STATUS_ENUM, type OperationStatus, type OperationType } from '../domain/vocabulary.js';
import type { RequestFilter } from './store.js';

/** The pairs a filter admits, without repeats; a dimension the filter leaves out (or empty) stands for all its values. Undefined: no filter. */
export function filterPairs(filter: RequestFilter): [OperationType, OperationStatus][] | undefined {
  const operations = filter.operations?.length ? [...new Set(filter.operations)] : undefined;
  const statuses = filter.statuses?.length ? [...new Set(filter.statuses)] : undefined;
  if (!operations && !statuses) return undefined;
  const pairs: [OperationType, OperationStatus][] = [];
  for (const operation of operations ?? OPERATIONS_ENUM) for (const status of statuses ?? OPERATION_STATUS_ENUM) pairs.push([operation, status]);
  return pairs;
}
