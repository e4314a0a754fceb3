/**
 * The next step of the scale plan, on paper but checked in code: where each table goes on a
 * Citus cluster. Nearly everything a cooperative writes is distributed by its cooperative, so
 * a cooperative's harvests, lots and events live on one shard and its transactions stay there;
 * what every query joins against and changes rarely (units, products, seasons, zones, accounts)
 * is a reference table, copied to every node. `apps/api/test/distribution.spec.ts` fails when a
 * table is added without a placement here, or when a distribution column is not in the schema.
 */
export type Placement =
  | {
      kind: 'distributed';
      /** The distribution column. */
      by: string;
      /** Tables distributed by the same values, placed together so their joins stay on a shard. */
      colocatedWith?: string;
      /**
       * The column is not in the table yet: it is added (and filled from the parent) by the
       * migration that prepares the cluster. Listed so the gap stays visible and counted.
       */
      toAdd?: true;
      /**
       * The column is drawn from its sequence as a row is inserted (Citus draws it on the
       * coordinator), so an insert need not name it.
       */
      drawnOnInsert?: true;
      why: string;
    }
  | { kind: 'reference'; why: string };

/**
 * Distributed by the cooperative: every such table shares Citus's default co-location group (the
 * same column type, the same shard count), so a cooperative's rows of all of them share a shard.
 */
const byCooperative = (why: string, toAdd?: true): Placement => ({
  kind: 'distributed',
  by: 'cooperative_id',
  ...(toAdd && { toAdd }),
  why,
});

const reference = (why: string): Placement => ({ kind: 'reference', why });

export const PLACEMENT: Record<string, Placement> = {
  cooperatives: reference(
    'the tenants themselves, tens of thousands at most: every scope picks its cooperatives here (a district by commune), on any node, before going to their shards',
  ),
  cooperative_status_changes: byCooperative('the cooperative’s dated history'),
  households: byCooperative('a cooperative’s members'),
  household_consents: byCooperative('read with its household', true),
  household_revisions: byCooperative('read with its household', true),
  plots: byCooperative('rules 1–3 read a plot with its household and harvests'),
  plot_revisions: byCooperative('read with its plot', true),
  harvests: byCooperative('written with the plot’s lock, in the cooperative’s transaction'),
  lots: byCooperative('made from the cooperative’s harvests'),
  transformations: byCooperative('drying, milling, packing of the cooperative’s lots'),
  transformation_inputs: byCooperative('read with its transformation', true),
  events: byCooperative('the cooperative’s EPCIS events, appended in its transactions'),
  captured_events: byCooperative('a partner’s event about a cooperative’s lots', true),
  imports: byCooperative('a cooperative’s files'),
  import_rows: byCooperative('read with its import', true),
  inspections: byCooperative('ICS / PGS inspections of the cooperative’s households'),
  non_compliances: byCooperative('read with its inspection', true),
  ocop_products: byCooperative('the cooperative’s OCOP products'),
  contracts: byCooperative('a buyer’s contract with one cooperative'),
  contract_plots: byCooperative('read with its contract', true),
  contract_documents: byCooperative('read with its contract', true),
  deliveries: byCooperative('against a contract of the cooperative', true),
  delivery_lots: byCooperative('read with its delivery', true),
  log_page_backlog: byCooperative('pages of the cooperative’s lots to rebuild', true),

  lot_provenance: {
    kind: 'distributed',
    by: 'code',
    why: 'the public page is found by the code printed on the bag: one shard per scan, from any node or read replica',
  },
  scans: {
    kind: 'distributed',
    by: 'lot_id',
    why: 'append-heavy, counted per lot; a separate co-location group from the pages',
  },
  lot_scan_counts: {
    kind: 'distributed',
    by: 'lot_id',
    colocatedWith: 'scans',
    why: 'kept with the scans they count, in the same transaction',
  },
  lot_scan_places: {
    kind: 'distributed',
    by: 'lot_id',
    colocatedWith: 'scans',
    why: 'kept with the scans they summarise, in the same transaction',
  },
  idempotent_requests: {
    kind: 'distributed',
    by: 'user_id',
    why: 'a device’s keys, found by user and key; claimed in the write’s transaction (a cross-shard transaction when the user’s cooperative is elsewhere: acceptable for offline sync rates)',
  },
  audit_log: {
    kind: 'distributed',
    by: 'id',
    drawnOnInsert: true,
    why: 'append-only and large; read as cross-shard reports by administrators only',
  },

  admin_units: reference('every scope expands through the units; a few thousand rows'),
  admin_unit_successions: reference('read with the units'),
  scope_generation: reference('one row, read with the user on every request'),
  zones: reference('a province’s zones, joined by every plot query; hundreds of rows'),
  zone_communes: reference('read with the zones'),
  zone_status_changes: reference('read with the zones'),
  certifications: reference('a zone’s certificates; derive every plot’s status'),
  certification_plots: reference('read with the certificates'),
  certificate_decisions: reference('read with the certificates'),
  certification_documents: reference('read with the certificates; a few per zone'),
  products: reference('the catalogue, joined by lots and harvests'),
  seasons: reference('joined by harvests and targets'),
  buyers: reference('few, joined by contracts of every cooperative'),
  targets: reference('district targets by unit and year; few'),
  users: reference('read on every request to check the account; thousands'),
  user_admin_units: reference('read with the user'),
  refresh_tokens: reference('read with the user at refresh'),
  epcis_capture_jobs: reference('few, read by the partner who sent them'),
  event_chain_head: reference('one row'),
  log_leaves: reference('the one transparency log: appended in batches, read everywhere'),
  log_checkpoints: reference('read with the log'),
  log_cosignatures: reference('read with the log'),
  migrations: reference('the schema’s own history'),
};

/** A cooperative's row as its shard finds it: by id, within its cooperative (as the row reads). */
export interface ShardRow {
  id: string;
  cooperative_id: string;
}

/** The same, as an entity or DTO names it. */
export interface ShardKey {
  id: string;
  cooperativeId: string;
}

/**
 * Marks a statement that reads across shards by design — a report over many cooperatives, a
 * buyer's reach, a trace that follows inputs wherever they were made — with the reason.
 * `apps/api/test/distribution-queries.spec.ts` requires every other statement of a distributed
 * table to filter it by its distribution column.
 */
export function crossShard(reason: string): string {
  return `/* cross-shard: ${reason.replace(/\*\//g, '')} */`;
}

/** A zone, and so a certificate, covers plots of several cooperatives. */
export const ACROSS_ZONE = crossShard('a zone holds plots of several cooperatives');

/**
 * A lot's trace follows its inputs to whichever cooperative made them (a district blends two
 * cooperatives' paddy into one lot), so the reads that walk it are cross-shard by design.
 */
export const LOT_TRACE = crossShard(
  'a lot’s trace follows its inputs to whichever cooperative made them',
);
