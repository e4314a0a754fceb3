import type { CooperativeStatus } from '@huuco/domain';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('cooperatives')
export class Cooperative {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'registration_number', type: 'varchar', length: 30 }) registrationNumber!: string;
  @Column({ name: 'commune_id', type: 'uuid' }) communeId!: string;
  /** Today's status, kept with the history; `initialStatus` is the one it was registered with. */
  @Column({ type: 'varchar', length: 10, default: 'active' }) status!: CooperativeStatus;
  @Column({ name: 'initial_status', type: 'varchar', length: 10, default: 'active' })
  initialStatus!: CooperativeStatus;
  @Column({ name: 'founded_on', type: 'date', nullable: true }) foundedOn!: string | null;
  @Column({ type: 'text', nullable: true }) address!: string | null;
  @Column({ name: 'is_demo', type: 'boolean', default: false }) isDemo!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
