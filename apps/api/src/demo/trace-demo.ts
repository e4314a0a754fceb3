import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { gs1CheckDigit, type LotDto, type Role } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { Actor } from '../auth/actor.js';
import { ScopeService } from '../auth/scope.service.js';
import { HarvestService } from '../harvests/harvest.service.js';
import { LotService } from '../lots/lot.service.js';
import { ProvenanceBuilder } from '../provenance/provenance.builder.js';
import { CatalogueService } from '../seasons/season.controller.js';
import { SeededRandom } from './random.js';

const SEASONS = [2023, 2024, 2025, 2026];
/** Organic rice on rươi fields: 4.2–4.4 t/ha (Tứ Kỳ, 2023). */
const YIELD_T_PER_HA: [number, number] = [4.1, 4.5];

/**
 * The demo's trace, recorded through the same services users go through, so every lot has its
 * events, chain links and provenance page: past spring crops in An Thanh gathered, milled with
 * their by-products and labelled; a lot from plots still in conversion; a recalled lot; a
 * Thới Bình crab harvest.
 */
@Injectable()
export class TraceDemo {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly harvests: HarvestService,
    private readonly lots: LotService,
    private readonly scopes: ScopeService,
    private readonly provenance: ProvenanceBuilder,
  ) {}

  async load(): Promise<{ harvests: number; lots: number }> {
    const random = new SeededRandom(20250528);
    const admin = await this.actor('admin.tuky');
    const anThanh = await this.actor('htx.anthanh');
    const thoiBinh = await this.actor('htx.thoibinh');

    const seasons = new Map<number, string>();
    for (const year of SEASONS) {
      const season = await this.catalogue.createSeason(admin, {
        year,
        name: 'spring',
        startsOn: `${year}-01-15`,
        endsOn: `${year}-07-15`,
      });
      seasons.set(year, season.id);
    }
    // Rươi swarm in lunar months 9–11: the main season runs to the end of the year.
    for (const year of [2025, 2026]) {
      await this.catalogue.createSeason(admin, {
        year,
        name: 'main',
        startsOn: `${year}-07-16`,
        endsOn: `${year}-12-31`,
      });
    }
    await this.db.query('UPDATE seasons SET is_demo = true');
    const body = `189360450001${random.int(0, 9)}`;
    const bagged = await this.catalogue.createProduct(anThanh, {
      code: 'GAO-HC-ANTHANH-5KG',
      nameVi: 'Gạo hữu cơ An Thanh, túi 5 kg (minh hoạ)',
      nameEn: 'An Thanh organic rice, 5 kg bag (demo)',
      category: 'white_rice',
      gtin: `${body}${gs1CheckDigit(body)}`,
      packSizeKg: 5,
    });
    await this.db.query('UPDATE products SET is_demo = true WHERE id = $1', [bagged.id]);
    const product = async (code: string) =>
      (await this.db.query<{ id: string }[]>('SELECT id FROM products WHERE code = $1', [code]))[0]!
        .id;
    const [paddy, broken, bran, husk, crab] = await Promise.all(
      ['PADDY', 'BROKEN-RICE', 'BRAN', 'HUSK', 'MUD-CRAB'].map(product),
    );

    const plots = await this.db.query<{ id: string; area_m2: string }[]>(
      `SELECT p.id, p.area_m2 FROM plots p JOIN zones z ON z.id = p.zone_id
        WHERE z.code = 'TK-ANTHANH-HC' AND p.cooperative_id = $1 ORDER BY p.code`,
      [anThanh.cooperativeId],
    );
    let harvestCount = 0;
    const made: LotDto[] = [];
    // Spring 2024: 60 plots; spring 2025: 120 — harvested at the end of May, gathered by 20.
    for (const [year, from, count] of [
      [2024, 0, 60],
      [2025, 60, 120],
    ] as const) {
      const harvested: { id: string; quantityKg: number; organic: boolean }[] = [];
      for (const plot of plots.slice(from, from + count)) {
        const day = `${year}-05-${String(random.int(24, 31)).padStart(2, '0')}`;
        const quantityKg = Math.round(
          (Number(plot.area_m2) / 10_000) * random.between(...YIELD_T_PER_HA) * 1_000,
        );
        const h = await this.harvests.record(anThanh, {
          plotId: plot.id,
          seasonId: seasons.get(year)!,
          harvestedOn: day,
          productId: paddy,
          quantityKg,
          lunarDate: null,
          overrideReason: null,
        });
        harvested.push({ id: h.id, quantityKg, organic: h.organicStatus === 'certified' });
        harvestCount++;
      }
      // Organic harvests gathered by 20; those from plots still in conversion kept apart.
      for (const group of [
        harvested.filter((h) => h.organic),
        harvested.filter((h) => !h.organic),
      ]) {
        for (let i = 0; i < group.length; i += 20) {
          const batch = group.slice(i, i + 20);
          const total = batch.reduce((sum, h) => sum + h.quantityKg, 0);
          const [lot] = await this.lots.create(anThanh, {
            process: 'aggregation',
            occurredOn: `${year}-06-02`,
            inputs: batch.map((h) => ({ harvestId: h.id, quantityKg: h.quantityKg })),
            outputs: [{ productId: paddy, quantityKg: total }],
            note: null,
          });
          made.push(lot!);
        }
      }
    }

    // The organic paddy lots milled: 64 % rice in 5 kg bags, broken rice, bran and husk.
    const milledPaddy = made.filter((l) => l.organic);
    for (const lot of milledPaddy.slice(0, 6)) {
      const kg = lot.quantityKg;
      const rice = Math.floor((kg * 0.64) / 5) * 5;
      const outputs = await this.lots.create(anThanh, {
        process: 'milling',
        occurredOn: `${lot.producedOn.slice(0, 4)}-06-20`,
        inputs: [{ lotId: lot.id, quantityKg: kg }],
        outputs: [
          { productId: bagged.id, quantityKg: rice },
          { productId: broken, quantityKg: Math.round(kg * 0.05) },
          { productId: bran, quantityKg: Math.round(kg * 0.09) },
          { productId: husk, quantityKg: Math.round(kg * 0.2) },
        ],
        note: 'Xay xát tại xưởng HTX (dữ liệu minh hoạ)',
      });
      made.push(...outputs);
      await this.lots.seal(anThanh, outputs[0]!.id);
    }
    // A 2024 lot recalled after a residue test: the milled rice made from it goes with it.
    const first2024 = milledPaddy.find((l) => l.producedOn.startsWith('2024'));
    if (first2024) {
      await this.lots.recall(
        admin,
        first2024.id,
        'Mẫu kiểm tra phát hiện dư lượng thuốc bảo vệ thực vật (dữ liệu minh hoạ)',
      );
    }

    // Thới Bình: mud crabs from Trí Lực's ponds, one lot.
    const ponds = await this.db.query<{ id: string; area_m2: string }[]>(
      'SELECT id, area_m2 FROM plots WHERE cooperative_id = $1 ORDER BY code LIMIT 8',
      [thoiBinh.cooperativeId],
    );
    const crabs: { harvestId: string; quantityKg: number }[] = [];
    for (const pond of ponds) {
      const quantityKg = Math.max(
        5,
        Math.round((Number(pond.area_m2) / 10_000) * random.between(500, 900)),
      );
      const h = await this.harvests.record(thoiBinh, {
        plotId: pond.id,
        seasonId: seasons.get(2025)!,
        harvestedOn: '2025-06-10',
        productId: crab,
        quantityKg,
        lunarDate: '15/5',
        overrideReason: null,
      });
      crabs.push({ harvestId: h.id, quantityKg });
      harvestCount++;
    }
    if (crabs.length) {
      made.push(
        ...(await this.lots.create(thoiBinh, {
          process: 'aggregation',
          occurredOn: '2025-06-10',
          inputs: crabs,
          outputs: [
            { productId: crab, quantityKg: crabs.reduce((sum, c) => sum + c.quantityKg, 0) },
          ],
          note: null,
        })),
      );
    }
    await this.db.transaction(async (manager) => {
      await manager.query('UPDATE harvests SET is_demo = true');
      await manager.query('UPDATE lots SET is_demo = true');
      const lots = await manager.query<{ id: string }[]>('SELECT id FROM lots');
      for (const lot of lots) await this.provenance.rebuild(manager, lot.id);
    });
    return { harvests: harvestCount, lots: made.length };
  }

  private async actor(username: string): Promise<Actor> {
    const [user] = await this.db.query<
      {
        id: string;
        role: Role;
        cooperative_id: string | null;
        buyer_id: string | null;
        token_version: number;
      }[]
    >('SELECT id, role, cooperative_id, buyer_id, token_version FROM users WHERE username = $1', [
      username,
    ]);
    if (!user) throw new Error(`demo user ${username} is missing`);
    const units = await this.scopes.unitsFor(user.id, user.token_version);
    return new Actor(user.id, username, user.role, user.cooperative_id, user.buyer_id, units);
  }
}
