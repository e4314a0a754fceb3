import { checkOutline, type AreaGeometry, type GeometryIssue } from '@huuco/domain';
import { DomainError } from './domain-error.js';

/** Throws the rule-1 issue as a domain error with the field path under `path`. */
export function throwGeometryIssue(issue: GeometryIssue, path = 'geometry'): never {
  const { code, message, path: inner, ...details } = issue;
  const fieldPath = inner === 'geometry' ? path : `${path}.${inner}`;
  throw new DomainError(code, message, [{ path: fieldPath, code, message, ...details }]);
}

export function assertOutline(geometry: AreaGeometry, path = 'geometry'): void {
  const issue = checkOutline(geometry);
  if (issue) throwGeometryIssue(issue, path);
}
