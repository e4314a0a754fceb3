import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { LotDto } from '@huuco/domain';

const require = createRequire(import.meta.url);
/** DejaVu Sans covers every Vietnamese letter; PDF's built-in fonts do not. */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MM = 72 / 25.4;
const COLUMNS = 3;
const ROWS = 8;
const LABEL_W = 70 * MM;
const LABEL_H = 37 * MM;
const TOP = (297 * MM - ROWS * LABEL_H) / 2;

const SEASONS: Record<string, string> = {
  spring: 'Vụ xuân',
  summer_autumn: 'Vụ hè thu',
  main: 'Vụ mùa',
  winter: 'Vụ đông',
};

export interface LabelContent {
  lot: LotDto;
  ocopStars: number | null;
}

/** An A4 sheet of 3 × 8 labels (70 × 37 mm), as many pages as the labels need; the QR drawn as vectors. */
export function labelSheet(labels: LabelContent[]): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 0,
    info: { Title: 'Nhãn truy xuất', Creator: 'huuco' },
  });
  pdf.registerFont('regular', FONT);
  pdf.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    pdf.on('end', () => resolve(Buffer.concat(chunks))),
  );

  labels.forEach(({ lot, ocopStars }, index) => {
    const slot = index % (COLUMNS * ROWS);
    if (index > 0 && slot === 0) pdf.addPage();
    const x = (slot % COLUMNS) * LABEL_W;
    const y = TOP + Math.floor(slot / COLUMNS) * LABEL_H;
    drawQr(pdf, lot.provenanceUrl, x + 3 * MM, y + 3 * MM, 31 * MM);
    const textX = x + 36 * MM;
    const width = LABEL_W - 39 * MM;
    pdf
      .font('bold')
      .fontSize(8.5)
      .text(lot.productNameVi, textX, y + 4 * MM, { width, height: 11 * MM, ellipsis: true });
    pdf.font('regular').fontSize(7);
    const lines = [
      `Lô: ${lot.code}`,
      lot.seasonLabel ? seasonText(lot.seasonLabel) : null,
      `${formatKg(lot.quantityKg)}${lot.organic ? ' · Hữu cơ' : ''}`,
      ocopStars ? `OCOP ${'★'.repeat(ocopStars)}` : null,
      lot.gtin ? `GTIN ${lot.gtin}` : null,
    ].filter((line): line is string => line !== null);
    pdf.text(lines.join('\n'), textX, y + 15 * MM, { width, lineGap: 0.5 });
  });
  pdf.end();
  return done;
}

function seasonText(label: string): string {
  const [name, year] = label.split(':') as [string, string];
  return `${SEASONS[name] ?? name} ${year}`;
}

function formatKg(kg: number): string {
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(kg)} kg`;
}

function drawQr(pdf: PDFKit.PDFDocument, url: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 2;
  const cell = size / (count + 2 * quiet);
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.modules.get(row, col))
        pdf.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell + 0.05, cell + 0.05);
    }
  }
  pdf.fill('#000000');
}
