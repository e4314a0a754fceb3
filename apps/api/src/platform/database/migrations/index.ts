import { Registry1763800000000 } from './1763800000000-registry.js';
import { Accounts1763900000000 } from './1763900000000-accounts.js';
import { Trace1764000000000 } from './1764000000000-trace.js';
import { Offtake1764100000000 } from './1764100000000-offtake.js';
import { District1764200000000 } from './1764200000000-district.js';
import { ScanCounts1764300000000 } from './1764300000000-scan-counts.js';
import { BuyerOwners1764400000000 } from './1764400000000-buyer-owners.js';
import { DatedRegistry1764500000000 } from './1764500000000-dated-registry.js';
import { PlotRetirement1764600000000 } from './1764600000000-plot-retirement.js';
import { HouseholdRevisions1764700000000 } from './1764700000000-household-revisions.js';
import { TransparencyLog1764800000000 } from './1764800000000-transparency-log.js';
import { EpcisCapture1764900000000 } from './1764900000000-epcis-capture.js';
import { LogCosignatures1765000000000 } from './1765000000000-log-cosignatures.js';
import { EventsWithoutHead1765100000000 } from './1765100000000-events-without-head.js';
import { HouseholdCodes1765200000000 } from './1765200000000-household-codes.js';
import { LogPageBacklog1765300000000 } from './1765300000000-log-page-backlog.js';
import { CapturedEvents1765400000000 } from './1765400000000-captured-events.js';
import { Imports1765500000000 } from './1765500000000-imports.js';
import { HouseholdRevisionCodes1765600000000 } from './1765600000000-household-revision-codes.js';
import { CertificationDocuments1765700000000 } from './1765700000000-certification-documents.js';
import { IdempotentRequests1765800000000 } from './1765800000000-idempotent-requests.js';
import { ScopeGeneration1765900000000 } from './1765900000000-scope-generation.js';
import { ScanStats1766000000000 } from './1766000000000-scan-stats.js';
import { StoredPages1766100000000 } from './1766100000000-stored-pages.js';
import { SessionSuccessors1766200000000 } from './1766200000000-session-successors.js';
import { PageLogPlaces1766300000000 } from './1766300000000-page-log-places.js';
import { StoredJson1766400000000 } from './1766400000000-stored-json.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [
  Registry1763800000000,
  Accounts1763900000000,
  Trace1764000000000,
  Offtake1764100000000,
  District1764200000000,
  ScanCounts1764300000000,
  BuyerOwners1764400000000,
  DatedRegistry1764500000000,
  PlotRetirement1764600000000,
  HouseholdRevisions1764700000000,
  TransparencyLog1764800000000,
  EpcisCapture1764900000000,
  LogCosignatures1765000000000,
  EventsWithoutHead1765100000000,
  HouseholdCodes1765200000000,
  LogPageBacklog1765300000000,
  CapturedEvents1765400000000,
  Imports1765500000000,
  HouseholdRevisionCodes1765600000000,
  CertificationDocuments1765700000000,
  IdempotentRequests1765800000000,
  ScopeGeneration1765900000000,
  ScanStats1766000000000,
  StoredPages1766100000000,
  SessionSuccessors1766200000000,
  PageLogPlaces1766300000000,
  StoredJson1766400000000,
];
