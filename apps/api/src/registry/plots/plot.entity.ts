import type { FarmingSystem, PlotFlag } from '@huuco/domain';
import type { Polygon } from 'geojson';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { numericArea } from '../../platform/database/columns.js';

@Entity('plots')
export class Plot {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 40 }) code!: string;
  @Column({ name: 'household_id', type: 'uuid' }) householdId!: string;
  @Column({ name: 'cooperative_id', type: 'uuid' }) cooperativeId!: string;
  @Column({ name: 'zone_id', type: 'uuid', nullable: true }) zoneId!: string | null;
  @Column({ type: 'json' }) geometry!: Polygon;
  @Column({ type: 'box', select: false }) bbox!: string;
  @Column({ name: 'area_m2', type: 'numeric', precision: 12, scale: 2, transformer: numericArea })
  areaM2!: number;
  @Column({
    name: 'declared_area_m2',
    type: 'numeric',
    precision: 12,
    scale: 2,
    nullable: true,
    transformer: numericArea,
  })
  declaredAreaM2!: number | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) flags!: PlotFlag[];
  @Column({ name: 'farming_system', type: 'varchar', length: 20 }) farmingSystem!: FarmingSystem;
  @Column({ name: 'conversion_started_on', type: 'date', nullable: true }) conversionStartedOn!:
    string | null;
  @Column({ type: 'integer', default: 1 }) revision!: number;
  @Column({ name: 'retired_on', type: 'date', nullable: true }) retiredOn!: string | null;
  @Column({ name: 'retired_reason', type: 'text', nullable: true }) retiredReason!: string | null;
  @Column({ name: 'is_demo', type: 'boolean', default: false }) isDemo!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** Every version a plot has had, so an edit never loses the outline it replaced. */
@Entity('plot_revisions')
export class PlotRevision {
  @PrimaryColumn({ name: 'plot_id', type: 'uuid' }) plotId!: string;
  @PrimaryColumn({ type: 'integer' }) revision!: number;
  @Column({ type: 'jsonb' }) geometry!: Polygon;
  @Column({ name: 'area_m2', type: 'numeric', precision: 12, scale: 2, transformer: numericArea })
  areaM2!: number;
  @Column({ name: 'zone_id', type: 'uuid', nullable: true }) zoneId!: string | null;
  @Column({ name: 'farming_system', type: 'varchar', length: 20 }) farmingSystem!: FarmingSystem;
  @Column({ name: 'conversion_started_on', type: 'date', nullable: true }) conversionStartedOn!:
    string | null;
  @Column({
    name: 'declared_area_m2',
    type: 'numeric',
    precision: 12,
    scale: 2,
    nullable: true,
    transformer: numericArea,
  })
  declaredAreaM2!: number | null;
  @Column({ name: 'retired_on', type: 'date', nullable: true }) retiredOn!: string | null;
  @Column({ name: 'retired_reason', type: 'text', nullable: true }) retiredReason!: string | null;
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' }) recordedAt!: Date;
}
