import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One write: who did what to which record, when, with digests of the record before and after. */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ name: 'actor_username', type: 'varchar', length: 60, nullable: true }) actorUsername!:
    string | null;
  @Column({ type: 'varchar', length: 60 }) action!: string;
  @Column({ type: 'varchar', length: 40 }) entity!: string;
  @Column({ name: 'entity_id', type: 'uuid', nullable: true }) entityId!: string | null;
  @Column({ name: 'before_digest', type: 'char', length: 64, nullable: true }) beforeDigest!:
    string | null;
  @Column({ name: 'after_digest', type: 'char', length: 64, nullable: true }) afterDigest!:
    string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) details!: Record<string, unknown>;
}
