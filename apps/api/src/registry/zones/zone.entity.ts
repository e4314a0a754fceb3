import type { AreaGeometry, ZoneKind, ZoneStatus } from '@huuco/domain';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { numericArea } from '../../platform/database/columns.js';

@Entity('zones')
export class Zone {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 12 }) kind!: ZoneKind;
  /** Today's status, kept with the history; `initialStatus` is the one the zone began with. */
  @Column({ type: 'varchar', length: 15, default: 'planned' }) status!: ZoneStatus;
  @Column({ name: 'initial_status', type: 'varchar', length: 15, default: 'planned' })
  initialStatus!: ZoneStatus;
  @Column({ type: 'jsonb' }) geometry!: AreaGeometry;
  @Column({ type: 'box', select: false }) bbox!: string;
  @Column({ name: 'area_m2', type: 'numeric', precision: 14, scale: 2, transformer: numericArea })
  areaM2!: number;
  @Column({
    name: 'target_area_m2',
    type: 'numeric',
    precision: 14,
    scale: 2,
    nullable: true,
    transformer: numericArea,
  })
  targetAreaM2!: number | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) products!: string[];
  @Column({ name: 'is_demo', type: 'boolean', default: false }) isDemo!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('zone_communes')
export class ZoneCommune {
  @PrimaryColumn({ name: 'zone_id', type: 'uuid' }) zoneId!: string;
  @PrimaryColumn({ name: 'commune_id', type: 'uuid' }) communeId!: string;
}
