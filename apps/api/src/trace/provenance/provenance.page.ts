import { formatSao, NUMBER } from './format.js';
import type { ProvenanceDocument } from './provenance.document.js';
import type { ProvenanceAnswer } from './provenance.service.js';

export type Lang = 'vi' | 'en';

const T = {
  vi: {
    title: 'Truy xuất nguồn gốc',
    genuine: 'Mã chính hãng',
    genuineText: 'Mã này do hệ thống huuco cấp và ký; thông tin dưới đây là của lô hàng này.',
    notGenuine: 'Mã không xác thực',
    UNSIGNED: 'Địa chỉ thiếu chữ ký: đây không phải mã in trên nhãn thật.',
    UNKNOWN_KEY: 'Chữ ký dùng một khoá không được công nhận.',
    BAD_SIGNATURE: 'Chữ ký không khớp: mã đã bị sửa hoặc làm giả.',
    UNKNOWN_CODE: 'Không có lô hàng nào mang mã này.',
    GTIN_MISMATCH: 'Mã sản phẩm (GTIN) không khớp với lô hàng.',
    recalled: 'LÔ HÀNG ĐÃ BỊ THU HỒI',
    demo: 'Dữ liệu minh hoạ — không phải lô hàng thật.',
    logged: (n: number) => `Được ghi trong sổ công khai của huuco, điểm kiểm ${n}`,
    partners: 'Đối tác ghi nhận',
    bizStep: {
      receiving: 'Nhận hàng',
      accepting: 'Chấp nhận hàng',
      shipping: 'Xuất hàng',
      departing: 'Rời kho',
      arriving: 'Đến nơi',
      storing: 'Lưu kho',
      inspecting: 'Kiểm tra',
      transforming: 'Chế biến',
      packing: 'Đóng gói',
      retail_selling: 'Bán lẻ',
    } as Record<string, string>,
    witnesses: 'Đồng ký bởi',
    pending: 'Sự kiện mới nhất đang được ghi vào sổ công khai.',
    recalledBecause: 'do lô nguyên liệu {code} bị thu hồi',
    notice: {
      zone_suspended: 'Từ {date}, vùng {subject} bị đình chỉ',
      certificate_suspended: 'Từ {date}, giấy chứng nhận {subject} bị tổ chức chứng nhận đình chỉ',
      certificate_withdrawn: 'Từ {date}, giấy chứng nhận {subject} bị tổ chức chứng nhận thu hồi',
    },
    noticeAfter:
      'Tình trạng hữu cơ ghi theo ngày thu hoạch; thay đổi có hiệu lực sau ngày đó không làm thay đổi lô này.',
    noticeBefore: 'Thu hoạch từ ngày này không còn được tính là hữu cơ.',
    scanWarning:
      'Cảnh báo: mã này được quét bất thường nhiều lần hoặc từ nhiều nơi. Nhãn có thể đã bị sao chép.',
    product: 'Sản phẩm',
    lot: 'Lô',
    quantity: 'Khối lượng',
    organic: 'Hữu cơ',
    notOrganic: 'Không đạt hữu cơ (có nguyên liệu chưa chứng nhận)',
    season: 'Vụ',
    harvest: 'Thu hoạch',
    lunar: 'âm lịch',
    cooperative: 'Hợp tác xã',
    commune: 'Xã',
    zone: 'Vùng sản xuất',
    certificate: 'Chứng nhận',
    validOnHarvest: 'còn hiệu lực vào ngày thu hoạch',
    notValidOnHarvest: 'KHÔNG còn hiệu lực vào ngày thu hoạch',
    plots: 'Thửa ruộng',
    plot: 'Thửa',
    area: 'Diện tích',
    harvestedOn: 'Ngày thu',
    household: 'Hộ',
    steps: 'Các công đoạn',
    buyer: 'Doanh nghiệp bao tiêu',
    contract: 'Hợp đồng',
    ocop: 'OCOP',
    status: {
      open: 'đang mở',
      sealed: 'đã niêm phong',
      shipped: 'đã giao',
      recalled: 'đã thu hồi',
    },
    process: {
      aggregation: 'Gom thu hoạch',
      drying: 'Sấy',
      milling: 'Xay xát',
      packing: 'Đóng gói',
    },
    seasonName: {
      spring: 'Vụ xuân',
      summer_autumn: 'Vụ hè thu',
      main: 'Vụ mùa',
      winter: 'Vụ đông',
    },
    orgStatus: {
      certified: 'hữu cơ',
      in_conversion: 'chuyển đổi',
      suspended: 'đình chỉ',
      not_organic: 'không hữu cơ',
    },
    other: 'English',
  },
  en: {
    title: 'Provenance',
    genuine: 'Genuine code',
    genuineText: 'This code was issued and signed by huuco; what follows is this lot’s record.',
    notGenuine: 'Not genuine',
    UNSIGNED: 'The address carries no signature: this is not a code printed on a real label.',
    UNKNOWN_KEY: 'The signature uses a key that is not recognised.',
    BAD_SIGNATURE: 'The signature does not match: the code was altered or invented.',
    UNKNOWN_CODE: 'No lot carries this code.',
    GTIN_MISMATCH: 'The product number (GTIN) does not match the lot.',
    recalled: 'THIS LOT HAS BEEN RECALLED',
    demo: 'Demo data — not a real lot.',
    logged: (n: number) => `Recorded in huuco’s public log, checkpoint ${n}`,
    partners: 'Recorded by partners',
    bizStep: {
      receiving: 'Received',
      accepting: 'Accepted',
      shipping: 'Shipped',
      departing: 'Departed',
      arriving: 'Arrived',
      storing: 'Stored',
      inspecting: 'Inspected',
      transforming: 'Processed',
      packing: 'Packed',
      retail_selling: 'Sold at retail',
    } as Record<string, string>,
    witnesses: 'Cosigned by',
    pending: 'The latest events are joining the public log.',
    recalledBecause: 'because its input lot {code} was recalled',
    notice: {
      zone_suspended: 'Since {date}, zone {subject} is suspended',
      certificate_suspended:
        'Since {date}, certificate {subject} is suspended by its certification body',
      certificate_withdrawn:
        'Since {date}, certificate {subject} is withdrawn by its certification body',
    },
    noticeAfter:
      'Organic status is as of each harvest day; changes effective after it do not alter this lot.',
    noticeBefore: 'Harvests from that day on no longer count as organic.',
    scanWarning:
      'Warning: this code has been scanned implausibly often or from many places. The label may have been copied.',
    product: 'Product',
    lot: 'Lot',
    quantity: 'Quantity',
    organic: 'Organic',
    notOrganic: 'Not organic (some inputs were not certified)',
    season: 'Season',
    harvest: 'Harvest',
    lunar: 'lunar',
    cooperative: 'Cooperative',
    commune: 'Commune',
    zone: 'Production zone',
    certificate: 'Certificate',
    validOnHarvest: 'valid on the harvest dates',
    notValidOnHarvest: 'NOT valid on the harvest dates',
    plots: 'Plots',
    plot: 'Plot',
    area: 'Area',
    harvestedOn: 'Harvested',
    household: 'Household',
    steps: 'Processing steps',
    buyer: 'Buyer',
    contract: 'Contract',
    ocop: 'OCOP',
    status: { open: 'open', sealed: 'sealed', shipped: 'shipped', recalled: 'recalled' },
    process: {
      aggregation: 'Harvests gathered',
      drying: 'Drying',
      milling: 'Milling',
      packing: 'Packing',
    },
    seasonName: {
      spring: 'Spring crop',
      summer_autumn: 'Summer–autumn crop',
      main: 'Main crop',
      winter: 'Winter crop',
    },
    orgStatus: {
      certified: 'organic',
      in_conversion: 'in conversion',
      suspended: 'suspended',
      not_organic: 'not organic',
    },
    other: 'Tiếng Việt',
  },
} as const;

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const date = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

const kg = (value: number, lang: Lang) =>
  value >= 1_000
    ? `${NUMBER[lang].format(value / 1_000)} ${lang === 'vi' ? 'tấn' : 't'}`
    : `${NUMBER[lang].format(value)} kg`;

const STYLE = `body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b2a1b;background:#f7f8f4}main{max-width:640px;margin:auto;padding:12px}
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.05em;margin:1.2em 0 .3em;border-bottom:1px solid #cdd5c4}
.v{padding:10px 12px;border-radius:8px;margin:8px 0;font-weight:600}.ok{background:#dcedc8;color:#1b5e20}.no{background:#ffcdd2;color:#b71c1c}
.warn{background:#fff3cd;color:#7a5200}.recall{background:#b71c1c;color:#fff;font-size:1.1em}dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0}
dt{color:#5b6b57}dd{margin:0}table{border-collapse:collapse;width:100%;font-size:.92em}td,th{text-align:left;padding:3px 4px;border-bottom:1px solid #e3e8dc}
svg{width:100%;height:auto;max-height:220px}.l{float:right;font-size:.9em}small{color:#5b6b57}`;

/**
 * Where a stored page is filled in at send time. Text a user typed is always escaped, so a `<`
 * in a page comes only from the markup here: these markers cannot be forged by a lot's data.
 */
const LINK = '<huuco:link>';
const WARNING = '<huuco:warning>';
const OCOP_OPEN = '<huuco:ocop ';
const OCOP_CLOSE = '</huuco:ocop>';

/** The answer to an address huuco did not print, or did not sign: no story is told. */
export function renderNotGenuinePage(
  answer: Extract<ProvenanceAnswer, { genuine: false }>,
  lang: Lang,
  selfPath: string,
): string {
  const t = T[lang];
  return page(
    lang,
    t.title,
    `${switchLink(lang, escape(switchHref(selfPath, lang)))}<h1>${t.title}</h1><p class="v no" role="alert">✗ ${t.notGenuine}</p><p>${t[answer.reason]}</p>`,
  );
}

/**
 * The public page of a lot — server-rendered, no script, small enough for a cheap phone on 3G —
 * as stored beside its document, rendered once per change of the lot: everything
 * but what differs per scan — the printed address (in the language link), the copied-label
 * warning, and the OCOP stars, which show only until their certificate's last day.
 */
export function storedProvenancePage(d: ProvenanceDocument, lang: Lang): string {
  const t = T[lang];
  return page(
    lang,
    `${t.title} · ${escape(d.lot.code)}`,
    `${switchLink(lang, LINK)}<h1>${t.title}</h1>${body(d, lang)}`,
  );
}

/** A stored page made ready to send to one scan. */
export function fillProvenancePage(
  stored: Buffer,
  scan: { lang: Lang; selfPath: string; scanWarning: boolean; today: string },
): Buffer {
  // On the stored bytes as they came from the database: the markers are ASCII, so their
  // offsets are the same in bytes, and a 6 KB page is never decoded and encoded again.
  const edits: { from: number; to: number; by: string }[] = [];
  const replace = (marker: string, by: () => string) => {
    const at = stored.indexOf(marker);
    if (at >= 0) edits.push({ from: at, to: at + marker.length, by: by() });
  };
  replace(LINK, () => escape(switchHref(scan.selfPath, scan.lang)));
  replace(WARNING, () =>
    scan.scanWarning ? `<p class="v warn" role="alert">${T[scan.lang].scanWarning}</p>` : '',
  );
  const open = stored.indexOf(OCOP_OPEN);
  if (open >= 0) {
    const until = stored.toString('latin1', open + OCOP_OPEN.length, open + OCOP_OPEN.length + 10);
    const inner = open + OCOP_OPEN.length + 11;
    const close = stored.indexOf(OCOP_CLOSE, inner);
    if (until > scan.today) {
      edits.push({ from: open, to: inner, by: '' });
      edits.push({ from: close, to: close + OCOP_CLOSE.length, by: '' });
    } else edits.push({ from: open, to: close + OCOP_CLOSE.length, by: '' });
  }
  edits.sort((a, b) => a.from - b.from);
  const parts: Buffer[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(stored.subarray(at, edit.from), Buffer.from(edit.by));
    at = edit.to;
  }
  parts.push(stored.subarray(at));
  return Buffer.concat(parts);
}

const switchHref = (selfPath: string, lang: Lang) =>
  `${selfPath}${selfPath.includes('?') ? '&' : '?'}lang=${lang === 'vi' ? 'en' : 'vi'}`;

const switchLink = (lang: Lang, href: string) =>
  `<a class="l" href="${href}" hreflang="${lang === 'vi' ? 'en' : 'vi'}">${T[lang].other}</a>`;

const page = (lang: Lang, title: string, main: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${STYLE}</style></head><body><main>${main}</main></body></html>`;

function body(d: ProvenanceDocument, lang: Lang): string {
  const t = T[lang];
  const out: string[] = [];
  if (d.demo) out.push(`<p class="v warn">${t.demo}</p>`);
  if (d.lot.status === 'recalled') {
    out.push(
      `<p class="v recall" role="alert">⚠ ${t.recalled}${d.lot.recalledAt ? ` · ${date(d.lot.recalledAt.slice(0, 10))}` : ''}<br><small style="color:#fff">${
        d.lot.recalledBecauseOf
          ? t.recalledBecause.replace('{code}', escape(d.lot.recalledBecauseOf))
          : escape(d.lot.recallReason ?? '')
      }</small></p>`,
    );
  }
  for (const notice of d.notices ?? []) {
    const text = t.notice[notice.kind]
      .replace('{date}', date(notice.since))
      .replace('{subject}', escape(notice.subject));
    out.push(
      `<p class="v warn" role="alert">⚠ ${text}: ${escape(notice.reason)}<br><small>${
        d.harvest && notice.since > d.harvest.to ? t.noticeAfter : t.noticeBefore
      }</small></p>`,
    );
  }
  out.push(`<p class="v ok">✓ ${t.genuine}</p><p><small>${t.genuineText}</small></p>`);
  out.push(WARNING);
  const pair = ([k, v]: [string, string]) => `<dt>${k}</dt><dd>${v}</dd>`;
  const dl = (rows: [string, string][]) => `<dl>${rows.map(pair).join('')}</dl>`;
  // Stars only while the OCOP certificate is valid (36 months): kept or dropped per scan.
  const ocop = d.ocop
    ? `${OCOP_OPEN}${d.ocop.validTo}>${pair([t.ocop, `${'★'.repeat(d.ocop.stars)} <small>→ ${date(d.ocop.validTo)}</small>`])}${OCOP_CLOSE}`
    : '';
  out.push(
    `<dl>${[
      pair([
        t.product,
        `<strong>${escape(d.lot.product[lang])}</strong>${d.lot.gtin ? ` <small>GTIN ${d.lot.gtin}</small>` : ''}`,
      ]),
      pair([t.lot, `${escape(d.lot.code)} <small>(${t.status[d.lot.status]})</small>`]),
      pair([t.quantity, kg(d.lot.quantityKg, lang)]),
      pair([t.organic, d.lot.organic ? '✓' : t.notOrganic]),
      ocop,
      d.season ? pair([t.season, `${t.seasonName[d.season.name]} ${d.season.year}`]) : '',
      d.harvest
        ? pair([
            t.harvest,
            `${date(d.harvest.from)}${d.harvest.to !== d.harvest.from ? ` – ${date(d.harvest.to)}` : ''}${
              d.harvest.lunarDates.length
                ? ` <small>(${t.lunar} ${d.harvest.lunarDates.map(escape).join(', ')})</small>`
                : ''
            }`,
          ])
        : '',
      pair([t.cooperative, escape(d.cooperative.name)]),
      pair([
        t.commune,
        `${escape(d.cooperative.commune)}${d.cooperative.province ? `, ${escape(d.cooperative.province)}` : ''}`,
      ]),
    ].join('')}</dl>`,
  );
  for (const zone of d.zones) {
    out.push(`<h2>${t.zone}: ${escape(zone.name)}</h2>`);
    const valid = zone.certificates.filter((c) => c.validOnHarvestDates);
    out.push(
      (valid.length ? valid : zone.certificates)
        .map(
          (c) =>
            `<p id="certificate-${escape(encodeURIComponent(c.number))}">${t.certificate} ${escape(c.number)} · ${escape(c.standard)} · ${escape(c.body)}<br>${date(c.validFrom)} – ${date(c.validTo)}: <strong>${
              c.validOnHarvestDates ? t.validOnHarvest : t.notValidOnHarvest
            }</strong></p>`,
        )
        .join('') || '<p>—</p>',
    );
  }
  if (d.plots.length) {
    out.push(`<h2>${t.plots} (${d.plots.length})</h2>`);
    if (d.outlineSvg) out.push(d.outlineSvg);
    const shown = d.plots.slice(0, 60);
    out.push(
      `<table><tr><th>${t.plot}</th><th>${t.area} (sào)</th><th>${t.harvestedOn}</th><th>kg</th>${
        d.plots.some((p) => p.household) ? `<th>${t.household}</th>` : ''
      }</tr>${shown
        .map(
          (p) =>
            `<tr><td>${escape(p.code)}</td><td>${formatSao(p.areaM2, lang)}</td><td>${date(p.harvestedOn)} <small>${t.orgStatus[p.organicStatus]}</small></td><td>${Math.round(p.quantityKg)}</td>${
              d.plots.some((x) => x.household) ? `<td>${escape(p.household ?? '')}</td>` : ''
            }</tr>`,
        )
        .join(
          '',
        )}</table>${d.plots.length > shown.length ? `<p><small>+ ${d.plots.length - shown.length}</small></p>` : ''}`,
    );
  }
  out.push(`<h2>${t.steps}</h2><ol>`);
  for (const step of d.steps) {
    out.push(
      `<li>${date(step.date)} · ${t.process[step.process]} · ${kg(step.inputKg, lang)} → ${step.outputs
        .map((o) => `${escape(o.code)} (${kg(o.quantityKg, lang)})`)
        .join(', ')}</li>`,
    );
  }
  out.push('</ol>');
  if (d.partnerEvents?.length) {
    out.push(`<h2>${t.partners}</h2><ul>`);
    for (const e of d.partnerEvents)
      out.push(
        `<li>${escape(Object.hasOwn(t.bizStep, e.bizStep) ? t.bizStep[e.bizStep]! : e.bizStep)} · ${date(e.eventTime.slice(0, 10))} · ${escape(e.by)}</li>`,
      );
    out.push('</ul>');
  }
  if (d.log?.checkpoint) {
    out.push(
      `<p><small><a href="/api/v1/log/checkpoint?size=${d.log.checkpoint.size}">${t.logged(d.log.checkpoint.size)}</a>${
        d.log.checkpoint.witnesses?.length
          ? ` · ${t.witnesses} ${d.log.checkpoint.witnesses.map(escape).join(', ')}`
          : ''
      }</small></p>`,
    );
  }
  if (d.log?.pending.length) out.push(`<p><small>${t.pending}</small></p>`);
  if (d.delivery) {
    out.push(
      `<h2>${t.buyer}</h2>${dl([
        [t.buyer, escape(d.delivery.buyer)],
        [t.contract, escape(d.delivery.contract)],
        [lang === 'vi' ? 'Ngày giao' : 'Delivered', date(d.delivery.deliveredOn)],
        ...(d.delivery.receivedOn
          ? ([[lang === 'vi' ? 'Ngày nhận' : 'Received', date(d.delivery.receivedOn)]] as [
              string,
              string,
            ][])
          : []),
      ])}`,
    );
  }
  return out.join('');
}
