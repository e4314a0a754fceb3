import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import { householdRepository } from './household.repository.js';
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
        const rows = await householdRepository.sealedUnderOtherKeys(
          manager,
          this.cipher.keyId,
          batchSize,
        );
        for (const row of rows) {
          const sealed = this.cipher.seal(
            this.cipher.open(row.idNumberCiphertext, row.idNumberKeyId),
          );
          await householdRepository.reseal(manager, row.id, {
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
