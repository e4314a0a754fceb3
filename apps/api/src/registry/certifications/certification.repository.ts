import type { CertificationListQuery, CreateCertificationDto, Page } from '@huuco/domain';
import { In, type EntityManager } from 'typeorm';
import { documentStore } from '../../platform/files/document-store.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { Plot } from '../plots/plot.entity.js';
import { Zone } from '../zones/zone.entity.js';
import { Certification, CertificationPlot } from './certification.entity.js';

const SORT_COLUMNS = {
  validTo: 'c.valid_to',
  validFrom: 'c.valid_from',
  certificateNumber: 'c.certificate_number',
} as const;

/** Certifications' SQL, all of it; the body's decisions are in the registry's histories. */
export const certificationRepository = {
  find(manager: EntityManager, id: string): Promise<Certification | null> {
    return manager.getRepository(Certification).findOneBy({ id });
  },

  /** The certificate's zone, with the row locked for the rest of the transaction. */
  async lockZoneOf(manager: EntityManager, id: string): Promise<string | null> {
    const [row] = await manager.query<{ zone_id: string }[]>(
      'SELECT zone_id FROM certifications WHERE id = $1 FOR UPDATE',
      [id],
    );
    return row?.zone_id ?? null;
  },

  zone(manager: EntityManager, id: string): Promise<Zone | null> {
    return manager.getRepository(Zone).findOneBy({ id });
  },

  /** Plots named on a certificate: of any cooperative in the zone. */
  plots(manager: EntityManager, ids: string[]): Promise<Plot[]> {
    if (!ids.length) return Promise.resolve([]);
    return manager
      .getRepository(Plot)
      .createQueryBuilder('p')
      .comment('cross-shard: a certificate names plots of any cooperative in its zone')
      .where('p.id IN (:...ids)', { ids })
      .getMany();
  },

  async insert(
    manager: EntityManager,
    fields: Omit<CreateCertificationDto, 'plotIds'>,
    plotIds: string[],
  ): Promise<Certification> {
    const repo = manager.getRepository(Certification);
    const saved = await repo.save(repo.create(fields));
    if (plotIds.length) {
      await manager
        .getRepository(CertificationPlot)
        .insert(plotIds.map((plotId) => ({ certificationId: saved.id, plotId })));
    }
    return saved;
  },

  /** The certificate as the body issued it, one per certificate. */
  documents: documentStore('certification_documents', 'certification_id'),

  /** What each certificate's attached document is, without its content. */
  documentsOf(
    manager: EntityManager,
    ids: string[],
  ): Promise<
    {
      certification_id: string;
      filename: string;
      content_type: string;
      size_bytes: number;
      sha256: string;
    }[]
  > {
    return manager.query(
      `SELECT certification_id, filename, content_type, size_bytes, sha256
         FROM certification_documents WHERE certification_id = ANY($1::uuid[])`,
      [ids],
    );
  },

  plotLinks(manager: EntityManager, certificationIds: string[]): Promise<CertificationPlot[]> {
    return manager
      .getRepository(CertificationPlot)
      .findBy({ certificationId: In(certificationIds) });
  },

  page<D>(
    manager: EntityManager,
    query: CertificationListQuery,
    toDtos: (rows: Certification[]) => Promise<D[]>,
  ): Promise<Page<D>> {
    const qb = manager.getRepository(Certification).createQueryBuilder('c');
    if (query.zoneId) qb.andWhere('c.zone_id = :zoneId', { zoneId: query.zoneId });
    if (query.guaranteeType) qb.andWhere('c.guarantee_type = :type', { type: query.guaranteeType });
    if (query.validOn)
      qb.andWhere('c.valid_from <= :on AND c.valid_to >= :on', { on: query.validOn });
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'c.id' }, query, toDtos);
  },
};
