import type { ProvenanceDocument } from './provenance.document.js';

/**
 * GS1 Digital Link resolver behaviour for a lot's address: the links a resolver offers for it,
 * as an RFC 9264 linkset, and the one a `linkType` asks for.
 */
export const GS1_VOC = 'https://gs1.org/voc/';

export interface LotLink {
  rel: string;
  href: string;
  type: string;
  title: { vi: string; en: string };
}

export function lotLinks(origin: string, address: string, d: ProvenanceDocument): LotLink[] {
  const links: LotLink[] = [
    {
      rel: 'pip',
      href: `${origin}${address}`,
      type: 'text/html',
      title: { vi: `Trang truy xuất lô ${d.lot.code}`, en: `Provenance of lot ${d.lot.code}` },
    },
    {
      rel: 'traceability',
      href: `${origin}${address}`,
      type: 'application/json',
      title: {
        vi: `Dữ liệu truy xuất lô ${d.lot.code} (JSON, kèm chứng minh trong sổ công khai)`,
        en: `Trace of lot ${d.lot.code} (JSON, with proofs from the public log)`,
      },
    },
    {
      rel: 'epcis',
      href: `${origin}/api/v1/epcis/events?lot=${encodeURIComponent(d.lot.code)}`,
      type: 'application/ld+json',
      title: {
        vi: 'Sự kiện EPCIS 2.0 của lô (cho đối tác có quyền)',
        en: 'The lot’s EPCIS 2.0 events (for partners with access)',
      },
    },
  ];
  for (const zone of d.zones) {
    for (const certificate of zone.certificates) {
      links.push({
        rel: 'certificationInfo',
        href: `${origin}${address}#certificate-${encodeURIComponent(certificate.number)}`,
        type: 'text/html',
        title: {
          vi: `Chứng nhận ${certificate.standard} số ${certificate.number} (${certificate.body})`,
          en: `${certificate.standard} certificate ${certificate.number} (${certificate.body})`,
        },
      });
    }
  }
  if (d.log?.checkpoint) {
    links.push({
      rel: 'describedby',
      href: `${origin}/api/v1/log/checkpoint?size=${d.log.checkpoint.size}`,
      type: 'text/plain',
      title: {
        vi: `Điểm kiểm ${d.log.checkpoint.size} của sổ công khai huuco`,
        en: `huuco public log checkpoint ${d.log.checkpoint.size}`,
      },
    });
  }
  return links;
}

/** RFC 9264 `application/linkset+json`, link relations as GS1 Web Vocabulary URIs. */
export function linkset(anchor: string, links: LotLink[]) {
  const context: Record<string, unknown> = { anchor };
  for (const link of links) {
    const rel = link.rel === 'describedby' ? link.rel : `${GS1_VOC}${link.rel}`;
    const targets = (context[rel] as unknown[] | undefined) ?? [];
    targets.push({
      href: link.href,
      type: link.type,
      title: link.title.vi,
      'title*': [
        { value: link.title.vi, language: 'vi' },
        { value: link.title.en, language: 'en' },
      ],
      hreflang: ['vi', 'en'],
    });
    context[rel] = targets;
  }
  return { linkset: [context] };
}

/** `gs1:pip`, `pip` or the full URI: the short name of a GS1 link type. */
export function linkTypeName(asked: string): string {
  return asked.replace(/^gs1:/, '').replace(GS1_VOC, '');
}

/** What `/.well-known/gs1resolver` says of this resolver. */
export function resolverDescription(origin: string) {
  return {
    name: 'huuco',
    resolverRoot: origin,
    supportedPrimaryKeys: ['gtin'],
    supportedLinkTypes: ['gs1:pip', 'gs1:traceability', 'gs1:epcis', 'gs1:certificationInfo'].map(
      (linkType) => ({ namespace: GS1_VOC, prefix: 'gs1:', linkType }),
    ),
    linkTypeDefaultCanBeLinkset: false,
    contact: `${origin}/api/docs`,
    note: 'Lots without a GTIN are answered at /t/{code}; both forms take ?linkType=all.',
  };
}
