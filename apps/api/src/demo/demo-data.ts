import {
  areaM2,
  type AdminUnitLevel,
  type AreaGeometry,
  type CooperativeStatus,
  type FarmingSystem,
  type GuaranteeType,
  type Role,
  type SuccessionKind,
  type ZoneKind,
  type ZoneStatus,
} from '@huuco/domain';
import type { Polygon } from 'geojson';
import { layOutFields, layOutPonds } from './field-layout.js';
import { SeededRandom } from './random.js';

export const DEMO_SEED = 20_230_615;
const REFORM_DATE = '2025-07-01';
const PROVINCE_MERGER = 'Nghị quyết 202/2025/QH15 (dữ liệu minh hoạ)';
const COMMUNE_MERGER = 'Nghị quyết 1669/NQ-UBTVQH15 (dữ liệu minh hoạ)';

export interface DemoAdminUnit {
  id: string;
  code: string;
  name: string;
  level: AdminUnitLevel;
  parentId: string | null;
  validFrom: string;
  validTo: string | null;
  legalBasis: string | null;
}
export interface DemoSuccession {
  kind: SuccessionKind;
  predecessorId: string;
  successorId: string | null;
  effectiveOn: string;
  legalBasis: string;
}
export interface DemoZone {
  id: string;
  code: string;
  name: string;
  kind: ZoneKind;
  status: ZoneStatus;
  geometry: AreaGeometry;
  targetAreaM2: number | null;
  products: string[];
  communeIds: string[];
}
export interface DemoCertification {
  id: string;
  zoneId: string;
  guaranteeType: GuaranteeType;
  standard: string;
  body: string;
  certificateNumber: string;
  validFrom: string;
  validTo: string;
}
export interface DemoCooperative {
  id: string;
  name: string;
  registrationNumber: string;
  communeId: string;
  status: CooperativeStatus;
  foundedOn: string;
  address: string;
}
export interface DemoHousehold {
  id: string;
  /** Mã hộ, numbered within each cooperative. */
  code: string;
  headName: string;
  idNumber: string;
  phone: string;
  village: string;
  communeId: string;
  cooperativeId: string;
  joinedOn: string;
  consentPublicDisplay: boolean;
}
export interface DemoPlot {
  id: string;
  code: string;
  householdId: string;
  cooperativeId: string;
  zoneId: string | null;
  geometry: Polygon;
  declaredAreaM2: number;
  farmingSystem: FarmingSystem;
  conversionStartedOn: string | null;
}
export interface DemoBuyer {
  id: string;
  name: string;
  taxCode: string;
  province: string;
  registeredUnitId: string;
}
export interface DemoUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  cooperativeId: string | null;
  buyerId: string | null;
  adminUnitIds: string[];
}
/** Every demo account's password; it exists only in demo data. */
export const DEMO_PASSWORD = 'huuco-demo';

export interface DemoData {
  adminUnits: DemoAdminUnit[];
  successions: DemoSuccession[];
  zones: DemoZone[];
  certifications: DemoCertification[];
  cooperatives: DemoCooperative[];
  households: DemoHousehold[];
  plots: DemoPlot[];
  buyers: DemoBuyer[];
  users: DemoUser[];
}

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Phạm',
  'Vũ',
  'Đỗ',
  'Bùi',
  'Hoàng',
  'Đinh',
  'Lê',
  'Đặng',
  'Ngô',
  'Phan',
  'Mạc',
];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Hữu', 'Minh', 'Quang', 'Thanh', 'Xuân', 'Ngọc'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hòa',
  'Hùng',
  'Hương',
  'Lan',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phúc',
  'Quý',
  'Sơn',
  'Tâm',
  'Thắng',
  'Thảo',
  'Thủy',
  'Tuấn',
  'Vinh',
  'Yến',
];

/** The demo: same seed, same data — names, outlines, ids and all. */
export function buildDemoData(seed = DEMO_SEED): DemoData {
  const random = new SeededRandom(seed);
  const adminUnits: DemoAdminUnit[] = [];
  const unit = (
    code: string,
    name: string,
    level: AdminUnitLevel,
    parentId: string | null,
    validFrom: string,
    validTo: string | null = null,
    legalBasis: string | null = null,
  ): string => {
    const id = random.uuid();
    adminUnits.push({ id, code, name, level, parentId, validFrom, validTo, legalBasis });
    return id;
  };

  const haiDuong = unit('30', 'Tỉnh Hải Dương', 'province', null, '1997-01-01', REFORM_DATE);
  const haiPhongOld = unit(
    '31',
    'Thành phố Hải Phòng',
    'province',
    null,
    '1997-01-01',
    REFORM_DATE,
  );
  const haiPhong = unit(
    '31',
    'Thành phố Hải Phòng',
    'province',
    null,
    REFORM_DATE,
    null,
    PROVINCE_MERGER,
  );
  const tuKy = unit('294', 'Huyện Tứ Kỳ', 'district', haiDuong, '1997-01-01', REFORM_DATE);
  const anThanh = unit('11125', 'Xã An Thanh', 'commune', tuKy, '1997-01-01', REFORM_DATE);
  const vanTo = unit('11128', 'Xã Văn Tố', 'commune', tuKy, '1997-01-01', REFORM_DATE);
  const chiMinhOld = unit('11131', 'Xã Chí Minh', 'commune', tuKy, '1997-01-01', REFORM_DATE);
  const chiMinh = unit(
    '11131',
    'Xã Chí Minh',
    'commune',
    haiPhong,
    REFORM_DATE,
    null,
    COMMUNE_MERGER,
  );
  const quangTrung = unit('11098', 'Xã Quang Trung', 'commune', tuKy, '1997-01-01');
  const caMau = unit('96', 'Tỉnh Cà Mau', 'province', null, '1997-01-01');
  const thoiBinh = unit('966', 'Huyện Thới Bình', 'district', caMau, '1997-01-01');
  const triLuc = unit('32035', 'Xã Trí Lực', 'commune', thoiBinh, '1997-01-01');
  const tanLoc = unit('32026', 'Xã Tân Lộc', 'commune', thoiBinh, '1997-01-01');
  const haTinh = unit('42', 'Tỉnh Hà Tĩnh', 'province', null, '1997-01-01');
  const thachHa = unit('442', 'Huyện Thạch Hà', 'district', haTinh, '1997-01-01');
  const thachHai = unit('18520', 'Xã Thạch Hải', 'commune', thachHa, '1997-01-01');

  const successions: DemoSuccession[] = [
    ...[haiDuong, haiPhongOld].map((predecessorId) => ({
      kind: 'merge' as const,
      predecessorId,
      successorId: haiPhong,
      effectiveOn: REFORM_DATE,
      legalBasis: PROVINCE_MERGER,
    })),
    ...[anThanh, vanTo, chiMinhOld].map((predecessorId) => ({
      kind: 'merge' as const,
      predecessorId,
      successorId: chiMinh,
      effectiveOn: REFORM_DATE,
      legalBasis: COMMUNE_MERGER,
    })),
    {
      kind: 'abolish',
      predecessorId: tuKy,
      successorId: null,
      effectiveOn: REFORM_DATE,
      legalBasis: 'Luật Tổ chức chính quyền địa phương 2025 (dữ liệu minh hoạ)',
    },
  ];

  const cooperatives: DemoCooperative[] = [];
  const cooperative = (
    name: string,
    registrationNumber: string,
    communeId: string,
    status: CooperativeStatus,
    foundedOn: string,
    address: string,
  ) => {
    const id = random.uuid();
    cooperatives.push({ id, name, registrationNumber, communeId, status, foundedOn, address });
    return id;
  };
  const htxAnThanh = cooperative(
    'HTX Dịch vụ Nông nghiệp An Thanh',
    '0401-HTX-0153',
    anThanh,
    'active',
    '2008-03-12',
    'Thôn Đông, xã An Thanh, Tứ Kỳ',
  );
  const htxQuangTrung = cooperative(
    'HTX Nông nghiệp Quang Trung',
    '0401-HTX-0167',
    quangTrung,
    'active',
    '2010-06-01',
    'Thôn Bình Cách, xã Quang Trung, Tứ Kỳ',
  );
  const htxTriLuc = cooperative(
    'HTX Nuôi cua Trí Lực',
    '6103-HTX-0212',
    triLuc,
    'active',
    '2016-09-20',
    'Ấp 7, xã Trí Lực, Thới Bình',
  );
  const htxTanLoc = cooperative(
    'HTX Thủy sản Tân Lộc',
    '6103-HTX-0098',
    tanLoc,
    'inactive',
    '2012-04-02',
    'Ấp 3, xã Tân Lộc, Thới Bình',
  );
  const htxThachHai = cooperative(
    'HTX Nuôi trồng Thủy sản Thạch Hải',
    '2806-HTX-0044',
    thachHai,
    'active',
    '2014-11-15',
    'Thôn Hải Thanh, xã Thạch Hải, Thạch Hà',
  );

  const anThanhFields = layOutFields(
    {
      center: [106.4452, 20.7561],
      columns: 40,
      rows: 20,
      cellWidth: [28, 40],
      cellHeight: [20, 29],
      rotationDeg: 14,
      margin: 40,
    },
    random,
  );
  const quangTrungFields = layOutFields(
    {
      center: [106.3688, 20.8574],
      columns: 24,
      rows: 14,
      cellWidth: [28, 40],
      cellHeight: [20, 29],
      rotationDeg: -9,
      margin: 35,
    },
    random,
  );

  const zoneAnThanh = random.uuid();
  const zoneQuangTrung = random.uuid();
  const zones: DemoZone[] = [
    {
      id: zoneAnThanh,
      code: 'TK-ANTHANH-HC',
      name: 'Vùng lúa hữu cơ trên đất rươi An Thanh',
      kind: 'organic',
      status: 'certified',
      geometry: anThanhFields.zone,
      targetAreaM2: 700_000,
      products: ['Lúa hữu cơ', 'Rươi', 'Cáy'],
      communeIds: [anThanh],
    },
    {
      id: zoneQuangTrung,
      code: 'TK-QUANGTRUNG-HC',
      name: 'Vùng lúa hữu cơ Quang Trung (đang chuyển đổi)',
      kind: 'organic',
      status: 'in_conversion',
      geometry: quangTrungFields.zone,
      targetAreaM2: 300_000,
      products: ['Lúa hữu cơ'],
      communeIds: [quangTrung],
    },
  ];
  const certifications: DemoCertification[] = [
    {
      id: random.uuid(),
      zoneId: zoneAnThanh,
      guaranteeType: 'TCVN_THIRD_PARTY',
      standard: 'TCVN 11041-5:2018',
      body: 'Tổ chức chứng nhận (dữ liệu minh hoạ)',
      certificateNumber: 'DEMO-HC-2024-0715',
      validFrom: '2024-09-01',
      validTo: '2027-08-31',
    },
    {
      id: random.uuid(),
      zoneId: zoneAnThanh,
      guaranteeType: 'TCVN_THIRD_PARTY',
      standard: 'TCVN 11041-5:2018',
      body: 'Tổ chức chứng nhận (dữ liệu minh hoạ)',
      certificateNumber: 'DEMO-HC-2022-0311',
      validFrom: '2022-08-15',
      validTo: '2024-08-14',
    },
  ];

  const households: DemoHousehold[] = [];
  const codesGiven = new Map<string, number>();
  const household = (
    communeId: string,
    cooperativeId: string,
    villages: string[],
    joinedFrom: number,
  ) => {
    const id = random.uuid();
    const female = random.next() < 0.35;
    const headName = `${random.pick(FAMILY)} ${female ? 'Thị' : random.pick(MIDDLE.filter((m) => m !== 'Thị'))} ${random.pick(GIVEN)}`;
    const birthYear = random.int(1955, 1995);
    const provinceCode = {
      [anThanh]: '030',
      [quangTrung]: '030',
      [triLuc]: '096',
      [tanLoc]: '096',
      [thachHai]: '042',
    }[communeId]!;
    const number = (codesGiven.get(cooperativeId) ?? 0) + 1;
    codesGiven.set(cooperativeId, number);
    households.push({
      id,
      code: `H${String(number).padStart(4, '0')}`,
      headName,
      idNumber: `${provinceCode}${female ? 1 : 0}${String(birthYear).slice(2)}${random.digits(6)}`,
      phone: `09${random.digits(8)}`,
      village: random.pick(villages),
      communeId,
      cooperativeId,
      joinedOn: `${random.int(joinedFrom, 2020)}-0${random.int(1, 9)}-1${random.int(0, 9)}`,
      consentPublicDisplay: random.next() < 0.4,
    });
    return id;
  };

  const plots: DemoPlot[] = [];
  const assignPlots = (
    fields: Polygon[],
    prefix: string,
    householdIds: string[],
    cooperativeId: string,
    zoneId: string | null,
    farmingSystem: FarmingSystem,
    conversion: () => string | null,
  ) => {
    let next = 0;
    for (const [index, geometry] of fields.entries()) {
      const computed = areaM2(geometry);
      const mismatch = random.next() < 0.03;
      const declared =
        computed * (mismatch ? random.between(1.25, 1.4) : random.between(0.93, 1.07));
      plots.push({
        id: random.uuid(),
        code: `${prefix}-${String(index + 1).padStart(4, '0')}`,
        householdId: householdIds[next % householdIds.length]!,
        cooperativeId,
        zoneId,
        geometry,
        declaredAreaM2: Math.round(declared),
        farmingSystem,
        conversionStartedOn: conversion(),
      });
      if (random.next() < 0.33) next++;
    }
  };

  const anThanhVillages = [
    'Thôn Đông',
    'Thôn Đoài',
    'Thôn Bắc',
    'Thôn Nam',
    'Thôn Trung',
    'Thôn Cầu',
  ];
  const anThanhHouseholds = Array.from({ length: 245 }, () =>
    household(anThanh, htxAnThanh, anThanhVillages, 1998),
  );
  assignPlots(
    anThanhFields.plots,
    'AT',
    anThanhHouseholds,
    htxAnThanh,
    zoneAnThanh,
    'rice_ruoi_cay',
    () => (random.next() < 0.85 ? '2021-02-15' : '2026-02-20'),
  );
  const quangTrungVillages = ['Thôn Bình Cách', 'Thôn Tiền Liệt', 'Thôn Lạc Dục'];
  const quangTrungHouseholds = Array.from({ length: 96 }, () =>
    household(quangTrung, htxQuangTrung, quangTrungVillages, 2000),
  );
  assignPlots(
    quangTrungFields.plots,
    'QT',
    quangTrungHouseholds,
    htxQuangTrung,
    zoneQuangTrung,
    'organic_rice',
    () => '2026-01-10',
  );

  const triLucHouseholds = Array.from({ length: 14 }, () =>
    household(triLuc, htxTriLuc, ['Ấp 6', 'Ấp 7'], 2016),
  );
  assignPlots(
    layOutPonds([105.1842, 9.3371], 18, [70, 110], random),
    'TB',
    triLucHouseholds,
    htxTriLuc,
    null,
    'crab_pond',
    () => null,
  );
  const tanLocHouseholds = Array.from({ length: 5 }, () =>
    household(tanLoc, htxTanLoc, ['Ấp 3'], 2012),
  );
  assignPlots(
    layOutPonds([105.1315, 9.3902], 5, [60, 90], random),
    'TL',
    tanLocHouseholds,
    htxTanLoc,
    null,
    'crab_pond',
    () => null,
  );
  const thachHaiHouseholds = Array.from({ length: 10 }, () =>
    household(thachHai, htxThachHai, ['Thôn Hải Thanh', 'Thôn Hải Hòa'], 2014),
  );
  assignPlots(
    layOutPonds([105.9463, 18.4012], 12, [50, 70], random),
    'TH',
    thachHaiHouseholds,
    htxThachHai,
    null,
    'seafood',
    () => null,
  );

  const buyerHanoi = random.uuid();
  const buyers: DemoBuyer[] = [
    {
      id: buyerHanoi,
      name: 'Công ty CP Nông sản Sạch Hà Nội (minh hoạ)',
      taxCode: '0109876543',
      province: 'Thành phố Hà Nội',
      registeredUnitId: tuKy,
    },
  ];
  const user = (
    username: string,
    displayName: string,
    role: Role,
    scope: { cooperativeId?: string; buyerId?: string; adminUnitIds?: string[] },
  ): DemoUser => ({
    id: random.uuid(),
    username,
    displayName,
    role,
    cooperativeId: scope.cooperativeId ?? null,
    buyerId: scope.buyerId ?? null,
    adminUnitIds: scope.adminUnitIds ?? [],
  });
  const users = [
    user('admin.tuky', 'Quản trị Phòng NN Tứ Kỳ', 'district_admin', { adminUnitIds: [tuKy] }),
    user('staff.tuky', 'Cán bộ Phòng NN Tứ Kỳ', 'district_staff', { adminUnitIds: [tuKy] }),
    user('htx.anthanh', 'Ban quản lý HTX An Thanh', 'coop_manager', { cooperativeId: htxAnThanh }),
    user('xavien.anthanh', 'Xã viên HTX An Thanh', 'coop_member', { cooperativeId: htxAnThanh }),
    user('kiemtra.tuky', 'Kiểm tra nội bộ Tứ Kỳ', 'inspector', { adminUnitIds: [tuKy] }),
    user('buyer.hanoi', 'Nông sản Sạch Hà Nội', 'buyer', { buyerId: buyerHanoi }),
    user('htx.thoibinh', 'Ban quản lý HTX Trí Lực', 'coop_manager', { cooperativeId: htxTriLuc }),
  ];

  return {
    adminUnits,
    successions,
    zones,
    certifications,
    cooperatives,
    households,
    plots,
    buyers,
    users,
  };
}
