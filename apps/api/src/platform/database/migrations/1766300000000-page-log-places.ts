import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lot's document names its events' places in the log (event ID, leaf index) and no longer
 * carries their entries and inclusion proofs, which `GET /log/proof/inclusion` serves: they were
 * two thirds of a page's JSON. Stored documents lose them here, in one statement; `down` leaves
 * the documents as they are (a page rebuilt by the older code carries its proofs again).
 */
export class PageLogPlaces1766300000000 implements MigrationInterface {
  name = 'PageLogPlaces1766300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `UPDATE lot_provenance
          SET document = jsonb_set(document, '{log,events}', (
                SELECT coalesce(jsonb_agg(jsonb_build_object('eventID', e -> 'eventID',
                                                             'leafIndex', e -> 'leafIndex')
                                          ORDER BY n), '[]'::jsonb)
                  FROM jsonb_array_elements(document -> 'log' -> 'events') WITH ORDINALITY AS x(e, n)))
        WHERE jsonb_typeof(document -> 'log' -> 'events') = 'array'
          AND jsonb_path_exists(document, '$.log.events[*].auditPath')`,
    );
  }

  async down(): Promise<void> {}
}
