import type { ConsentScope } from '@huuco/domain';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Consent to show the household head's name publicly: who recorded it, when, and its revocation. */
@Entity('household_consents')
export class HouseholdConsent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'household_id', type: 'uuid' }) householdId!: string;
  @Column({ type: 'varchar', length: 40 }) scope!: ConsentScope;
  @Column({ type: 'text' }) evidence!: string;
  @Column({ name: 'recorded_by', type: 'uuid', nullable: true }) recordedBy!: string | null;
  @Column({ name: 'recorded_by_username', type: 'varchar', length: 60, nullable: true })
  recordedByUsername!: string | null;
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' }) recordedAt!: Date;
  @Column({ name: 'revoked_by', type: 'uuid', nullable: true }) revokedBy!: string | null;
  @Column({ name: 'revoked_by_username', type: 'varchar', length: 60, nullable: true })
  revokedByUsername!: string | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}
