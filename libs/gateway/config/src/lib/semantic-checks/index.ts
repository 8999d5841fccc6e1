import type { ConfigProblem } from '../problems';
import { ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { checkAggregates } from './aggregates';
import { checkAuthPolicies } from './auth-policies';
import { checkCidrs } from './cidrs';
import { checkCors } from './cors';
import { checkDestinations } from './destinations';
import { checkRateLimits } from './rate-limits';
import { checkReferences } from './references';
import { checkRetries } from './retries';
import { checkRouteConflicts } from './route-conflicts';
import { checkRoutePolicies } from './route-policies';
import { checkRouteTargets } from './route-targets';
import { checkServer } from './server';
import { checkTimeouts } from './timeouts';
import { checkTransforms } from './transforms';
import { checkUniqueIds } from './unique-ids';

export type SemanticCheck = (config: GatewayConfigFile, problems: ProblemList) => void;

/** Every semantic check, in reporting order. None stops another. */
export const SEMANTIC_CHECKS: readonly SemanticCheck[] = [
  checkReferences,
  checkUniqueIds,
  checkRouteTargets,
  checkRouteConflicts,
  checkServer,
  checkDestinations,
  checkTimeouts,
  checkRetries,
  checkAuthPolicies,
  checkRoutePolicies,
  checkRateLimits,
  checkCidrs,
  checkCors,
  checkTransforms,
  checkAggregates,
];

/**
 * Runs every check, also on a document the schema rejected, so one run reports everything.
 * A check tripping over a malformed part is skipped: the schema problems already cover it.
 */
export function runSemanticChecks(config: unknown): ConfigProblem[] {
  const problems = new ProblemList();
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return [];
  for (const check of SEMANTIC_CHECKS) {
    try {
      check(config as GatewayConfigFile, problems);
    } catch {
      // malformed input this check cannot read; the schema problems say what is wrong
    }
  }
  return problems.items;
}
