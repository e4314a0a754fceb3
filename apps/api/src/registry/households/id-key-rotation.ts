import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Not, type DataSource } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import { Household } from './household.entity.js';
import { IdNumberCipher } from './id-number.cipher.js';

/**
 * Re-seals every ID number still under a previous key with the current one, hash included, in
 * batches, each in its own transaction. After it, the previous key can leave the configuration.
 */
@Injectable()
export class IdKeyRotation {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: IdNumberCipher,
    private readonly audit: AuditService,
  ) {}

  async run(batchSize = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const resealed = await this.db.transaction(async (manager) => {
        const rows = await manager
          .getRepository(Household)
          .createQueryBuilder('h')
          .select(['h.id', 'h.idNumberCiphertext', 'h.idNumberKeyId'])
          .where({ idNumberKeyId: Not(this.cipher.keyId) })
          .orderBy('h.id')
          .limit(batchSize)
          .setLock('pessimistic_write')
          .getMany();
        for (const row of rows) {
          const sealed = this.cipher.seal(
            this.cipher.open(row.idNumberCiphertext, row.idNumberKeyId),
          );
          await manager.getRepository(Household).update(row.id, {
            idNumberCiphertext: sealed.ciphertext,
            idNumberKeyId: sealed.keyId,
            idNumberHash: sealed.hash,
          });
        }
        if (rows.length) {
          await this.audit.record(manager, null, {
            action: 'household.id_key_rotated',
            entity: 'household',
            entityId: null,
            details: { count: rows.length, keyId: this.cipher.keyId },
          });
        }
        return rows.length;
      });
      total += resealed;
      if (resealed < batchSize) return total;
    }
  }
}
