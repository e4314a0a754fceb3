import { Injectable } from '@nestjs/common';
import { checkedDocument } from '../platform/files/attached-document.js';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  gs1CheckDigit,
  type ContractStatus,
  type CreateContractDto,
  addMonthsIso,
  type Indicator,
  type LotDto,
  type Role,
} from '@huuco/domain';
import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';
import type { DataSource } from 'typeorm';
import { Actor } from '../access/auth/actor.js';
import { ScopeService } from '../access/auth/scope.service.js';
import { HarvestService } from '../trace/harvests/harvest.service.js';
import { LotService } from '../trace/lots/lot.service.js';
import { ProvenanceBuilder } from '../trace/provenance/provenance.builder.js';
import { BuyerService } from '../offtake/buyers/buyer.service.js';
import { InspectionService } from '../district/inspections/inspection.service.js';
import { OcopService } from '../district/ocop/ocop.service.js';
import { TargetService } from '../district/targets/target.service.js';
import { ContractService } from '../offtake/contracts/contract.service.js';
import { DeliveryService } from '../offtake/deliveries/delivery.service.js';
import { CatalogueService } from '../trace/catalogue/catalogue.service.js';
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
    private readonly contracts: ContractService,
    private readonly deliveries: DeliveryService,
    private readonly buyers: BuyerService,
    private readonly targets: TargetService,
    private readonly ocop: OcopService,
    private readonly inspections: InspectionService,
  ) {}

  async load(): Promise<{ harvests: number; lots: number }> {
    const codes = new SeededRandom(20250602);
    return this.lots.withCodesFrom(
      (n) => Math.floor(codes.next() * n),
      () => this.loadAll(),
    );
  }

  private async loadAll(): Promise<{ harvests: number; lots: number }> {
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
        const h = await this.harvests.record(
          anThanh,
          {
            plotId: plot.id,
            seasonId: seasons.get(year)!,
            harvestedOn: day,
            productId: paddy,
            quantityKg,
            lunarDate: null,
            overrideReason: null,
          },
          null,
        );
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
    // Seven: three of 2024, four of 2025 — one of them still to deliver.
    for (const lot of milledPaddy.slice(0, 7)) {
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
      const h = await this.harvests.record(
        thoiBinh,
        {
          plotId: pond.id,
          seasonId: seasons.get(2025)!,
          harvestedOn: '2025-06-10',
          productId: crab,
          quantityKg,
          lunarDate: '15/5',
          overrideReason: null,
        },
        null,
      );
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
    await this.loadContracts(seasons, made, { admin, anThanh, thoiBinh });
    await this.loadDistrict(admin, anThanh, bagged.id);

    await this.db.transaction(async (manager) => {
      await manager.query('UPDATE harvests SET is_demo = true');
      await manager.query('UPDATE contracts SET is_demo = true');
      await manager.query('UPDATE deliveries SET is_demo = true');
      await manager.query('UPDATE buyers SET is_demo = true');
      await manager.query('UPDATE targets SET is_demo = true');
      await manager.query('UPDATE ocop_products SET is_demo = true');
      await manager.query('UPDATE inspections SET is_demo = true');
      await manager.query('UPDATE lots SET is_demo = true');
      const lots = await manager.query<{ id: string }[]>('SELECT id FROM lots');
      for (const lot of lots) await this.provenance.rebuild(manager, lot.id);
    });
    return { harvests: harvestCount, lots: made.length };
  }

  /**
   * The Hà Nội buyer's whole-area contracts with An Thanh: 2024 fulfilled and received, 2025
   * active with one delivery received and one awaiting the buyer's confirmation; a crab buyer's
   * quantity contract with Trí Lực.
   */
  private async loadContracts(
    seasons: Map<number, string>,
    made: LotDto[],
    actors: { admin: Actor; anThanh: Actor; thoiBinh: Actor },
  ): Promise<void> {
    const buyer = await this.actor('buyer.hanoi');
    const [zone] = await this.db.query<{ id: string }[]>(
      `SELECT id FROM zones WHERE code = 'TK-ANTHANH-HC'`,
    );
    const recalled = new Set(
      (await this.db.query<{ id: string }[]>(`SELECT id FROM lots WHERE status = 'recalled'`)).map(
        (r) => r.id,
      ),
    );
    const bagged = (year: string) =>
      made.filter((l) => l.gtin && l.producedOn.startsWith(year) && !recalled.has(l.id));
    const contract = async (
      actor: Actor,
      body: Omit<CreateContractDto, 'plotIds' | 'signedOn'>,
      signedOn: string,
      status: string[],
    ) => {
      const created = await this.contracts.create(actor, { ...body, plotIds: [], signedOn: null });
      await this.contracts.attach(
        actor,
        created.id,
        checkedDocument(
          'application/pdf',
          `${body.number.replace(/\//g, '-')}.pdf`,
          await demoContractPdf(body.number),
        ),
      );
      for (const next of status) {
        await this.contracts.changeStatus(actor, created.id, {
          status: next as ContractStatus,
          signedOn,
        });
      }
      return created;
    };
    const deliver = async (
      contractId: string,
      lots: LotDto[],
      on: string,
      receivedOn: string | null,
    ) => {
      const delivery = await this.deliveries.create(actors.anThanh, {
        contractId,
        deliveredOn: on,
        destination: 'Kho Công ty, Long Biên, Hà Nội (minh hoạ)',
        lots: lots.map((l) => ({ lotId: l.id, quantityKg: l.remainingKg })),
      });
      if (receivedOn) await this.deliveries.receive(buyer, delivery.id, receivedOn);
    };
    const base = {
      buyerId: buyer.buyerId!,
      cooperativeId: actors.anThanh.cooperativeId!,
      productCategory: 'white_rice',
      basis: 'whole_area' as const,
      contractedKg: null,
      zoneId: zone!.id,
      priceVndPerKg: 32_000,
      qualityTerms:
        'Gạo hữu cơ TCVN 11041-5:2018, độ ẩm ≤ 14 %, tấm ≤ 5 %, đóng túi 5 kg (minh hoạ)',
    };
    const c2024 = await contract(
      actors.anThanh,
      { ...base, number: '01/2024/HĐBT-AT', seasonId: seasons.get(2024)! },
      '2024-01-20',
      ['signed', 'active'],
    );
    await deliver(c2024.id, bagged('2024'), '2024-07-05', '2024-07-06');
    await this.contracts.changeStatus(actors.anThanh, c2024.id, { status: 'fulfilled' });
    const c2025 = await contract(
      actors.anThanh,
      { ...base, number: '02/2025/HĐBT-AT', seasonId: seasons.get(2025)!, priceVndPerKg: 33_500 },
      '2025-01-18',
      ['signed', 'active'],
    );
    const lots2025 = bagged('2025');
    await deliver(c2025.id, lots2025.slice(0, 2), '2025-07-08', '2025-07-09');
    if (lots2025.length > 2) await deliver(c2025.id, lots2025.slice(2, 3), '2025-07-20', null);

    const crabBuyer = await this.buyers.create(actors.admin, {
      name: 'Công ty TNHH Thủy sản Cà Mau Xanh (minh hoạ)',
      taxCode: '2001234567',
      province: 'Tỉnh Cà Mau',
      address: null,
      contacts: [{ name: 'Anh Tùng (minh hoạ)', role: 'Thu mua', phone: null, email: null }],
    });
    const crabs = await contract(
      actors.thoiBinh,
      {
        number: '05/2025/HĐ-TL',
        buyerId: crabBuyer.id,
        cooperativeId: actors.thoiBinh.cooperativeId!,
        seasonId: seasons.get(2025)!,
        productCategory: 'mud_crab',
        basis: 'quantity',
        contractedKg: 2_000,
        zoneId: null,
        priceVndPerKg: 280_000,
        qualityTerms: 'Cua thịt loại 1, từ 300 g/con (minh hoạ)',
      },
      '2025-03-01',
      ['signed', 'active'],
    );
    void crabs;
  }

  /**
   * Tứ Kỳ's targets 2021–2026 (2023: "expand organic area by 50–100 ha"), An Thanh's OCOP
   * products (one expired, one valid on the bagged rice), and this year's ICS inspections with
   * one open major non-compliance that suspends its plot.
   */
  private async loadDistrict(admin: Actor, anThanh: Actor, baggedProductId: string): Promise<void> {
    const [home] = await this.db.query<{ admin_unit_id: string }[]>(
      `SELECT x.admin_unit_id FROM user_admin_units x JOIN users u ON u.id = x.user_id WHERE u.username = 'admin.tuky'`,
    );
    const unit = home!.admin_unit_id;
    const targets: [number, Indicator, number][] = [
      [2021, 'organic_ha', 20],
      [2022, 'organic_ha', 40],
      [2023, 'organic_ha', 50],
      [2023, 'households', 300],
      [2023, 'ocop_3_stars', 3],
      [2024, 'organic_ha', 60],
      [2024, 'tonnes_harvested', 20],
      [2024, 'contract_share', 0.8],
      [2025, 'organic_ha', 70],
      [2025, 'tonnes_harvested', 40],
      [2026, 'organic_ha', 80],
      [2026, 'households', 350],
      [2026, 'ocop_3_stars', 3],
      [2026, 'tonnes_harvested', 60],
      [2026, 'contract_share', 0.9],
    ];
    for (const [year, indicator, targetValue] of targets) {
      await this.targets.create(admin, {
        adminUnitId: unit,
        year,
        indicator,
        targetValue,
        note:
          year >= 2025
            ? 'Theo địa bàn huyện Tứ Kỳ cũ (minh hoạ)'
            : 'Nghị quyết HĐND huyện (minh hoạ)',
      });
    }
    const ocop = [
      {
        name: 'Gạo hữu cơ An Thanh (minh hoạ)',
        productId: null,
        score: 78,
        level: 'province',
        certifiedOn: '2023-09-15',
        number: 'DEMO-OCOP-2023-041',
      },
      {
        name: 'Rươi An Thanh (minh hoạ)',
        productId: null,
        score: 62,
        level: 'district',
        certifiedOn: '2024-11-20',
        number: 'DEMO-OCOP-2024-017',
      },
      {
        name: 'Gạo hữu cơ An Thanh túi 5 kg (minh hoạ)',
        productId: baggedProductId,
        score: 81,
        level: 'province',
        certifiedOn: '2025-10-01',
        number: 'DEMO-OCOP-2025-006',
      },
    ] as const;
    for (const o of ocop) {
      await this.ocop.create(admin, {
        name: o.name,
        cooperativeId: anThanh.cooperativeId!,
        productId: o.productId,
        score: o.score,
        level: o.level,
        certificateNumber: o.number,
        certifiedOn: o.certifiedOn,
      });
    }
    const inspector = await this.actor('kiemtra.tuky');
    const households = await this.db.query<{ id: string; plot_id: string | null }[]>(
      `SELECT h.id, (SELECT p.id FROM plots p WHERE p.household_id = h.id ORDER BY p.code LIMIT 1) AS plot_id
         FROM households h WHERE h.cooperative_id = $1 ORDER BY h.head_name LIMIT 120`,
      [anThanh.cooperativeId],
    );
    for (const [index, household] of households.entries()) {
      const on = `2026-${String(3 + (index % 8)).padStart(2, '0')}-${String(5 + (index % 20)).padStart(2, '0')}`;
      const major = index === 7 && household.plot_id !== null;
      const minor = index % 25 === 3 && household.plot_id !== null;
      await this.inspections.create(
        inspector,
        {
          kind: index % 3 === 0 ? 'PGS' : 'ICS',
          householdId: household.id,
          plotId: null,
          plannedOn: on,
          inspectedOn: on,
          findings: major
            ? 'Phát hiện vỏ bao phân bón hoá học trên bờ thửa (minh hoạ)'
            : minor
              ? 'Sổ ghi chép canh tác chưa cập nhật (minh hoạ)'
              : 'Đạt yêu cầu; ghi chép đầy đủ (minh hoạ)',
          nonCompliances: major
            ? [
                {
                  plotId: household.plot_id!,
                  severity: 'major',
                  description: 'Sử dụng phân bón hoá học trên thửa hữu cơ (minh hoạ)',
                  sanction: 'Đình chỉ chứng nhận thửa đến khi khắc phục',
                  deadline: addMonthsIso(on, 3),
                },
              ]
            : minor
              ? [
                  {
                    plotId: household.plot_id!,
                    severity: 'minor',
                    description: 'Thiếu ghi chép nhật ký đồng ruộng (minh hoạ)',
                    sanction: null,
                    deadline: addMonthsIso(on, 2),
                  },
                ]
              : [],
        },
        null,
      );
    }
  }

  private async actor(username: string): Promise<Actor> {
    const [user] = await this.db.query<
      {
        id: string;
        role: Role;
        cooperative_id: string | null;
        buyer_id: string | null;
        token_version: number;
        generation: string;
      }[]
    >(
      `SELECT id, role, cooperative_id, buyer_id, token_version,
              (SELECT generation FROM scope_generation) AS generation
         FROM users WHERE username = $1`,
      [username],
    );
    if (!user) throw new Error(`demo user ${username} is missing`);
    const units = await this.scopes.unitsFor(user.id, user.token_version, String(user.generation));
    return new Actor(user.id, username, user.role, user.cooperative_id, user.buyer_id, units);
  }
}

const require = createRequire(import.meta.url);

/** A one-page stand-in for a signed contract, marked as demo data. */
function demoContractPdf(number: string): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', margin: 56 });
  pdf.registerFont('body', require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    pdf.on('end', () => resolve(Buffer.concat(chunks))),
  );
  pdf
    .font('body')
    .fontSize(16)
    .text(`HỢP ĐỒNG BAO TIÊU SẢN PHẨM số ${number}`, { align: 'center' });
  pdf
    .moveDown()
    .fontSize(11)
    .text('DỮ LIỆU MINH HOẠ — không phải hợp đồng thật.', { align: 'center' });
  pdf.end();
  return done;
}
