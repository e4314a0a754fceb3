import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { areaM2, bboxOf, checkPlotArea } from '@huuco/domain';
import type { DataSource, EntityManager, ObjectLiteral, EntityTarget } from 'typeorm';
import { AdminUnit, AdminUnitSuccession } from '../registry/admin-units/admin-unit.entity.js';
import { Certification } from '../registry/certifications/certification.entity.js';
import { AppConfig } from '../platform/config/app-config.js';
import { Cooperative } from '../registry/cooperatives/cooperative.entity.js';
import { toBox } from '../platform/database/columns.js';
import { Household } from '../registry/households/household.entity.js';
import { IdNumberCipher } from '../registry/households/id-number.cipher.js';
import { Plot, PlotRevision } from '../registry/plots/plot.entity.js';
import { Zone, ZoneCommune } from '../registry/zones/zone.entity.js';
import { hashPassword } from '../access/auth/password.js';
import { User, UserAdminUnit } from '../access/auth/user.entity.js';
import { Buyer } from '../offtake/buyers/buyer.entity.js';
import { HouseholdConsent } from '../registry/households/household-consent.entity.js';
import { householdRepository } from '../registry/households/household.repository.js';
import { buildDemoData, DEMO_PASSWORD } from './demo-data.js';
import { TraceDemo } from './trace-demo.js';

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Loads the demo into an empty database: on first start of the embedded one, or by `npm run seed`. */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly cipher: IdNumberCipher,
    private readonly trace: TraceDemo,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const automatic =
      this.config.demoData === 'auto' &&
      this.config.databaseKind === 'embedded' &&
      !this.config.inMemory;
    if (automatic) await this.seedIfEmpty();
  }

  /** Returns false when the database already holds a registry (demo or real); nothing is touched then. */
  async seedIfEmpty(): Promise<boolean> {
    const [{ n }] = await this.db.query<{ n: number }[]>('SELECT count(*) AS n FROM admin_units');
    if (n > 0) return false;
    const started = Date.now();
    const data = buildDemoData();
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await this.db.transaction(async (manager) => {
      const demo = { isDemo: true };
      await insertAll(
        manager,
        AdminUnit,
        data.adminUnits.map((u) => ({ ...u, ...demo })),
      );
      await insertAll(
        manager,
        AdminUnitSuccession,
        data.successions.map((s) => ({ ...s, ...demo })),
      );
      await insertAll(
        manager,
        Zone,
        data.zones.map(({ communeIds: _communes, ...zone }) => ({
          ...zone,
          initialStatus: zone.status,
          areaM2: round2(areaM2(zone.geometry)),
          bbox: toBox(bboxOf(zone.geometry)),
          ...demo,
        })),
      );
      await insertAll(
        manager,
        ZoneCommune,
        data.zones.flatMap((z) => z.communeIds.map((communeId) => ({ zoneId: z.id, communeId }))),
      );
      await insertAll(
        manager,
        Certification,
        data.certifications.map((c) => ({ ...c, scope: 'zone', ...demo })),
      );
      await insertAll(
        manager,
        Cooperative,
        data.cooperatives.map((c) => ({ ...c, initialStatus: c.status, ...demo })),
      );
      await insertAll(
        manager,
        Household,
        data.households.map(({ idNumber, ...h }) => {
          const sealed = this.cipher.seal(idNumber);
          return {
            ...h,
            idNumberCiphertext: sealed.ciphertext,
            idNumberKeyId: sealed.keyId,
            idNumberHash: sealed.hash,
            idNumberMasked: sealed.masked,
            consentRecordedAt: h.consentPublicDisplay
              ? new Date(`${h.joinedOn}T08:00:00+07:00`)
              : null,
            ...demo,
          };
        }),
      );
      await householdRepository.recordFirstRevisions(
        manager,
        data.households.map((h) => h.id),
        'demo',
      );
      await insertAll(
        manager,
        HouseholdConsent,
        data.households
          .filter((h) => h.consentPublicDisplay)
          .map((h) => ({
            householdId: h.id,
            scope: 'name_on_provenance_page',
            evidence: 'Phiếu đồng ý ký tại họp HTX (dữ liệu minh hoạ)',
            recordedByUsername: 'demo',
            recordedAt: new Date(`${h.joinedOn}T08:00:00+07:00`),
          })),
      );
      await insertAll(
        manager,
        Buyer,
        data.buyers.map((b) => ({ ...b, ...demo })),
      );
      await insertAll(
        manager,
        User,
        data.users.map(({ adminUnitIds: _units, ...u }) => ({ ...u, passwordHash, ...demo })),
      );
      await insertAll(
        manager,
        UserAdminUnit,
        data.users.flatMap((u) =>
          u.adminUnitIds.map((adminUnitId) => ({ userId: u.id, adminUnitId })),
        ),
      );
      const plots = data.plots.map((p) => {
        const area = areaM2(p.geometry);
        return {
          ...p,
          areaM2: round2(area),
          bbox: toBox(bboxOf(p.geometry)),
          flags: checkPlotArea(area, p.declaredAreaM2).flags,
          revision: 1,
          ...demo,
        };
      });
      await insertAll(manager, Plot, plots);
      await insertAll(
        manager,
        PlotRevision,
        plots.map((p) => ({
          plotId: p.id,
          revision: 1,
          geometry: p.geometry,
          areaM2: p.areaM2,
          zoneId: p.zoneId,
          farmingSystem: p.farmingSystem,
          conversionStartedOn: p.conversionStartedOn,
          declaredAreaM2: p.declaredAreaM2,
        })),
      );
    });
    const trace = await this.trace.load();
    this.logger.log(
      `Demo data loaded in ${Date.now() - started} ms: ${data.households.length} households, ${data.plots.length} plots, ${trace.harvests} harvests, ${trace.lots} lots.`,
    );
    return true;
  }
}

async function insertAll<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: object[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 250) {
    await manager.getRepository(entity).insert(rows.slice(i, i + 250) as T[]);
  }
}
