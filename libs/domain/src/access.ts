/** The six kinds of users, and what each may do. One table, read by the API's guards and the web's navigation. */
export const Role = [
  'district_admin',
  'district_staff',
  'coop_manager',
  'coop_member',
  'inspector',
  'buyer',
] as const;
export type Role = (typeof Role)[number];

export const Permission = [
  'account.read',
  'registry.read',
  'adminUnits.write',
  'zones.write',
  'certifications.write',
  'cooperatives.write',
  'households.read',
  'households.write',
  'households.revealId',
  'households.phone',
  'plots.read',
  'plots.write',
  'users.manage',
  'audit.read',
  'harvests.read',
  'lots.read',
  'seasons.write',
  'products.write',
  'harvests.write',
  'lots.write',
  'lots.recall',
  'events.read',
  'epcis.capture',
  'events.verify',
  'buyers.read',
  'buyers.write',
  'contracts.read',
  'contracts.write',
  'deliveries.write',
  'deliveries.receive',
  'inspections.read',
  'inspections.write',
  'ocop.read',
  'ocop.write',
  'exports.read',
  'imports.write',
  'targets.read',
  'targets.write',
] as const;
export type Permission = (typeof Permission)[number];

const EVERYONE: readonly Role[] = Role;

/**
 * Every route names one of these (or is public); reads of scoped records are narrowed further
 * by the reader's scope, so a buyer with `lots.read` still reads only the lots delivered to it.
 */
export const PERMISSIONS: Record<Permission, readonly Role[]> = {
  'account.read': EVERYONE,
  'registry.read': EVERYONE,
  'adminUnits.write': ['district_admin'],
  'zones.write': ['district_admin', 'district_staff'],
  'certifications.write': ['district_admin', 'district_staff'],
  'cooperatives.write': ['district_admin'],
  'households.read': ['district_admin', 'district_staff', 'inspector', 'coop_manager'],
  'households.write': ['district_admin', 'coop_manager'],
  'households.revealId': ['district_admin', 'coop_manager'],
  'households.phone': ['district_admin', 'district_staff', 'coop_manager'],
  'plots.read': EVERYONE,
  'plots.write': ['district_admin', 'coop_manager'],
  'users.manage': ['district_admin'],
  'audit.read': ['district_admin'],
  'harvests.read': ['district_admin', 'district_staff', 'inspector', 'coop_manager', 'coop_member'],
  'lots.read': EVERYONE,
  'seasons.write': ['district_admin', 'district_staff'],
  'products.write': ['district_admin', 'coop_manager'],
  'harvests.write': ['coop_manager', 'coop_member'],
  'lots.write': ['coop_manager'],
  'lots.recall': ['district_admin', 'district_staff', 'coop_manager'],
  'events.read': ['district_admin', 'district_staff', 'inspector', 'coop_manager', 'buyer'],
  /** Partners' own EPCIS events about their lots: a cooperative's, a buyer's receiving. */
  'epcis.capture': ['coop_manager', 'buyer'],
  'events.verify': ['district_admin', 'district_staff', 'inspector'],
  'buyers.read': ['district_admin', 'district_staff', 'coop_manager', 'buyer'],
  'buyers.write': ['district_admin', 'district_staff'],
  'contracts.read': ['district_admin', 'district_staff', 'coop_manager', 'buyer'],
  'contracts.write': ['district_admin', 'district_staff', 'coop_manager'],
  'deliveries.write': ['coop_manager'],
  'deliveries.receive': ['buyer'],
  'inspections.read': ['district_admin', 'district_staff', 'inspector', 'coop_manager'],
  'inspections.write': ['district_admin', 'district_staff', 'inspector'],
  'ocop.read': ['district_admin', 'district_staff', 'inspector', 'coop_manager', 'coop_member'],
  'ocop.write': ['district_admin', 'district_staff'],
  'imports.write': ['district_admin', 'coop_manager'],
  'exports.read': EVERYONE,
  'targets.read': ['district_admin', 'district_staff', 'inspector'],
  'targets.write': ['district_admin', 'district_staff'],
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[permission].includes(role);
}

/**
 * Whose records a role sees: district roles those within their admin units, cooperative roles
 * their cooperative's, buyers their own business (contracts, deliveries, the lots delivered to
 * them and those lots' trace).
 */
export type ScopeKind = 'units' | 'cooperative' | 'buyer';

export function scopeKindOf(role: Role): ScopeKind {
  if (role === 'coop_manager' || role === 'coop_member') return 'cooperative';
  if (role === 'buyer') return 'buyer';
  return 'units';
}
