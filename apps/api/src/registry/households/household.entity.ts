import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('households')
export class Household {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Mã hộ: unique within the cooperative. */
  @Column({ type: 'varchar', length: 20 }) code!: string;
  @Column({ name: 'head_name', type: 'varchar', length: 120 }) headName!: string;
  /** AES-256-GCM; see IdNumberCipher. Never selected unless asked for. */
  @Column({ name: 'id_number_ciphertext', type: 'text', select: false })
  idNumberCiphertext!: string;
  @Column({ name: 'id_number_key_id', type: 'varchar', length: 20, select: false })
  idNumberKeyId!: string;
  @Column({ name: 'id_number_hash', type: 'char', length: 64, select: false })
  idNumberHash!: string;
  @Column({ name: 'id_number_masked', type: 'varchar', length: 12 }) idNumberMasked!: string;
  @Column({ type: 'varchar', length: 10, nullable: true }) phone!: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) village!: string | null;
  @Column({ name: 'commune_id', type: 'uuid' }) communeId!: string;
  @Column({ name: 'cooperative_id', type: 'uuid' }) cooperativeId!: string;
  @Column({ name: 'joined_on', type: 'date' }) joinedOn!: string;
  @Column({ name: 'left_on', type: 'date', nullable: true }) leftOn!: string | null;
  @Column({ name: 'left_reason', type: 'varchar', length: 500, nullable: true })
  leftReason!: string | null;
  @Column({ name: 'consent_public_display', type: 'boolean', default: false })
  consentPublicDisplay!: boolean;
  @Column({ name: 'consent_recorded_at', type: 'timestamptz', nullable: true })
  consentRecordedAt!: Date | null;
  @Column({ name: 'is_demo', type: 'boolean', default: false }) isDemo!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
