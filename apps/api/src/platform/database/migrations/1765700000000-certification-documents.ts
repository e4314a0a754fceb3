import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The certificate as the certification body issued it (a PDF or a scan), kept beside its record
 * with its hash: what a buyer or an inspector is shown is the paper itself, not a link that rots.
 */
export class CertificationDocuments1765700000000 implements MigrationInterface {
  name = 'CertificationDocuments1765700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE certification_documents (
        certification_id uuid PRIMARY KEY REFERENCES certifications(id),
        filename varchar(200) NOT NULL,
        content_type varchar(40) NOT NULL,
        size_bytes integer NOT NULL,
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        uploaded_by_username varchar(60) NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_certification_documents_type CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png'))
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE certification_documents');
  }
}
