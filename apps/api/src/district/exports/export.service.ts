import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { can, type Indicator, type Permission } from '@huuco/domain';
import type { Actor } from '../../access/auth/actor.js';
import { DomainError, fieldError } from '../../platform/http/domain-error.js';
import { ContractService } from '../../offtake/contracts/contract.service.js';
import { CooperativeService } from '../../registry/cooperatives/cooperative.service.js';
import { ZoneService } from '../../registry/zones/zone.service.js';
import { HarvestService } from '../../trace/harvests/harvest.service.js';
import { HouseholdService } from '../../registry/households/household.service.js';
import { InspectionService } from '../inspections/inspection.service.js';
import { LotService } from '../../trace/lots/lot.service.js';
import { PlotService } from '../../registry/plots/plot.service.js';
import { TargetService } from '../targets/target.service.js';

type Cell = string | number | null;

/**
 * OWASP's advice against CSV injection: text a spreadsheet would read as a formula (starting
 * with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, so a household
 * named `=HYPERLINK(…)` stays a name. Numbers are written as numbers and left alone.
 */
export function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

interface Sheet {
  title: string;
  headers: string[];
  rows: Cell[][];
}

const ALL = { page: 1, pageSize: 1_000_000, order: 'asc' as const };

const INDICATORS: Record<Indicator, string> = {
  organic_ha: 'Diện tích hữu cơ (ha)',
  households: 'Số hộ tham gia',
  ocop_3_stars: 'Sản phẩm OCOP từ 3 sao',
  tonnes_harvested: 'Sản lượng thu hoạch (tấn)',
  contract_share: 'Tỷ lệ diện tích có hợp đồng bao tiêu',
};
const PROGRESS = { exceeded: 'Vượt', met: 'Đạt', not_met: 'Chưa đạt' } as const;
const STATUS: Record<string, string> = {
  certified: 'Hữu cơ',
  in_conversion: 'Chuyển đổi',
  suspended: 'Đình chỉ',
  not_organic: 'Không hữu cơ',
  open: 'Đang mở',
  sealed: 'Đã niêm phong',
  shipped: 'Đã giao',
  recalled: 'Đã thu hồi',
  draft: 'Dự thảo',
  signed: 'Đã ký',
  active: 'Đang thực hiện',
  fulfilled: 'Hoàn thành',
  cancelled: 'Đã huỷ',
};
const vi = (value: string) => STATUS[value] ?? value;

/** An export needs what reading the list on screen needs. */
const SHEET_PERMISSIONS: Record<string, Permission> = {
  zones: 'registry.read',
  cooperatives: 'registry.read',
  targets: 'targets.read',
  fulfilment: 'contracts.read',
  contracts: 'contracts.read',
  households: 'households.read',
  plots: 'plots.read',
  harvests: 'harvests.read',
  lots: 'lots.read',
  inspections: 'inspections.read',
};

/**
 * Every dashboard table and registry list as CSV or XLSX, headed in Vietnamese, for reports to
 * the People's Committee. The same scope as the screens: a list holds what its reader may see.
 */
@Injectable()
export class ExportService {
  constructor(
    private readonly targets: TargetService,
    private readonly households: HouseholdService,
    private readonly plots: PlotService,
    private readonly harvests: HarvestService,
    private readonly lots: LotService,
    private readonly contracts: ContractService,
    private readonly inspections: InspectionService,
    private readonly zones: ZoneService,
    private readonly cooperatives: CooperativeService,
  ) {}

  static readonly NAMES = [
    'targets',
    'fulfilment',
    'households',
    'plots',
    'harvests',
    'lots',
    'contracts',
    'inspections',
    'zones',
    'cooperatives',
  ] as const;

  async sheet(
    actor: Actor,
    name: string,
    { year, q }: { year?: number; q?: string },
  ): Promise<Sheet> {
    const permission = SHEET_PERMISSIONS[name];
    if (permission && !can(actor.role, permission)) {
      throw new DomainError('FORBIDDEN', 'Your role does not allow this list.');
    }
    switch (name) {
      case 'targets': {
        const rows = await this.targets.list(actor, { year });
        return {
          title: 'Chỉ tiêu',
          headers: [
            'Đơn vị',
            'Năm',
            'Chỉ tiêu',
            'Kế hoạch',
            'Thực hiện',
            'Tỷ lệ (%)',
            'Đánh giá',
            'Ghi chú',
          ],
          rows: rows.map((t) => [
            t.adminUnitName,
            t.year,
            INDICATORS[t.indicator],
            t.targetValue,
            t.actual,
            Math.round(t.ratio * 1000) / 10,
            PROGRESS[t.progress],
            t.note,
          ]),
        };
      }
      case 'fulfilment': {
        const rows = await this.contracts.fulfilment(actor, {});
        return {
          title: 'Thực hiện hợp đồng',
          headers: [
            'Hợp tác xã',
            'Vụ',
            'Số hợp đồng',
            'Theo hợp đồng (kg)',
            'Dự kiến (kg)',
            'Đã giao (kg)',
            'Đã nhận (kg)',
            'Giá trị đã giao (đồng)',
          ],
          rows: rows.map((r) => [
            r.cooperativeName,
            r.seasonLabel,
            r.contracts,
            r.contractedKg,
            r.expectedKg,
            r.deliveredKg,
            r.receivedKg,
            r.deliveredValueVnd,
          ]),
        };
      }
      case 'zones': {
        const page = await this.zones.list({ ...ALL, sort: 'code', q });
        return {
          title: 'Vùng sản xuất',
          headers: [
            'Mã vùng',
            'Tên vùng',
            'Loại',
            'Trạng thái',
            'Xã',
            'Diện tích (ha)',
            'Diện tích mục tiêu (ha)',
          ],
          rows: page.items.map((z) => [
            z.code,
            z.name,
            z.kind,
            z.status,
            z.communes.map((c) => c.name).join(', '),
            z.area.ha,
            z.targetArea?.ha ?? null,
          ]),
        };
      }
      case 'cooperatives': {
        const page = await this.cooperatives.list({ ...ALL, sort: 'name', q });
        return {
          title: 'Hợp tác xã',
          headers: ['Tên hợp tác xã', 'Số đăng ký', 'Xã', 'Trạng thái', 'Ngày thành lập', 'Số hộ'],
          rows: page.items.map((c) => [
            c.name,
            c.registrationNumber,
            c.commune.name,
            c.status === 'active' ? 'Đang hoạt động' : 'Ngừng hoạt động',
            c.foundedOn,
            c.householdCount,
          ]),
        };
      }
      case 'households': {
        const page = await this.households.list(actor, { ...ALL, sort: 'headName', q });
        return {
          title: 'Hộ gia đình',
          headers: ['Mã hộ', 'Chủ hộ', 'Số CCCD (che)', 'Thôn', 'Ngày tham gia', 'Số thửa'],
          rows: page.items.map((h) => [
            h.code,
            h.headName,
            h.idNumberMasked,
            h.village,
            h.joinedOn,
            h.plotCount,
          ]),
        };
      }
      case 'plots': {
        const page = await this.plots.list(actor, { ...ALL, sort: 'code', q });
        return {
          title: 'Thửa ruộng',
          headers: [
            'Mã thửa',
            'Diện tích (m²)',
            'Diện tích (ha)',
            'Diện tích (sào)',
            'Hệ canh tác',
            'Tình trạng hữu cơ',
          ],
          rows: page.items.map((p) => [
            p.code,
            p.area.m2,
            p.area.ha,
            p.area.sao,
            p.farmingSystem,
            vi(p.organicStatus.status),
          ]),
        };
      }
      case 'harvests': {
        const page = await this.harvests.list(actor, { ...ALL, sort: 'harvestedOn' });
        return {
          title: 'Thu hoạch',
          headers: [
            'Ngày thu',
            'Thửa',
            'Vụ',
            'Sản phẩm',
            'Khối lượng (kg)',
            'Năng suất (tạ/ha)',
            'Tình trạng hữu cơ',
            'Người ghi',
          ],
          rows: page.items.map((h) => [
            h.harvestedOn,
            h.plotCode,
            h.seasonLabel,
            h.productCode,
            h.quantityKg,
            Math.round(h.yieldKgPerHa / 10) / 10,
            vi(h.organicStatus),
            h.recordedBy,
          ]),
        };
      }
      case 'lots': {
        const page = await this.lots.list(actor, { ...ALL, sort: 'createdAt', q });
        return {
          title: 'Lô hàng',
          headers: [
            'Mã lô',
            'Sản phẩm',
            'GTIN',
            'Ngày',
            'Khối lượng (kg)',
            'Còn lại (kg)',
            'Hữu cơ',
            'Trạng thái',
          ],
          rows: page.items.map((l) => [
            l.code,
            l.productNameVi,
            l.gtin,
            l.producedOn,
            l.quantityKg,
            l.remainingKg,
            l.organic ? 'Có' : 'Không',
            vi(l.status),
          ]),
        };
      }
      case 'contracts': {
        const page = await this.contracts.list(actor, { ...ALL, sort: 'createdAt', q });
        return {
          title: 'Hợp đồng bao tiêu',
          headers: [
            'Số hợp đồng',
            'Doanh nghiệp',
            'Hợp tác xã',
            'Vụ',
            'Sản phẩm',
            'Hình thức',
            'Đơn giá (đồng/kg)',
            'Đã giao (kg)',
            'Trạng thái',
          ],
          rows: page.items.map((c) => [
            c.number,
            c.buyerName,
            c.cooperativeName,
            c.seasonLabel,
            c.productCategory,
            c.basis === 'whole_area' ? 'Toàn bộ diện tích' : 'Theo sản lượng',
            c.priceVndPerKg,
            c.fulfilment.deliveredKg,
            vi(c.status),
          ]),
        };
      }
      case 'inspections': {
        const page = await this.inspections.list(actor, {
          page: 1,
          pageSize: 1_000_000,
          year,
          q,
          sort: 'date',
          order: 'desc',
        });
        return {
          title: 'Kiểm tra nội bộ',
          headers: [
            'Loại',
            'Hộ',
            'Thửa',
            'Ngày dự kiến',
            'Ngày kiểm tra',
            'Người kiểm tra',
            'Kết quả',
            'Vi phạm nặng chưa khắc phục',
          ],
          rows: page.items.map((i) => [
            i.kind,
            i.householdName,
            i.plotCode,
            i.plannedOn,
            i.inspectedOn,
            i.inspector,
            i.findings,
            i.nonCompliances.filter((n) => n.severity === 'major' && !n.closedOn).length,
          ]),
        };
      }
      default:
        throw fieldError('NOT_FOUND', 'name', `Exports: ${ExportService.NAMES.join(', ')}.`);
    }
  }

  /** CSV for Excel: UTF-8 with a byte-order mark, so Vietnamese letters open correctly. */
  toCsv(sheet: Sheet): Buffer {
    const cell = (value: Cell) => {
      const text = value === null ? '' : typeof value === 'number' ? String(value) : inert(value);
      return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const lines = [sheet.headers, ...sheet.rows].map((row) => row.map(cell).join(','));
    return Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'),
    ]);
  }

  async toXlsx(sheet: Sheet): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'huuco';
    const worksheet = workbook.addWorksheet(sheet.title.slice(0, 31));
    worksheet.addRow(sheet.headers).font = { bold: true };
    for (const row of sheet.rows) worksheet.addRow(row);
    worksheet.columns.forEach((column) => {
      column.width = 18;
    });
    worksheet.views = [{ state: 'frozen', ySplit: 1 }];
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
}
