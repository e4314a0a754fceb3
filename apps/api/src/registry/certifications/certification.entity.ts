import type { CertificationScope, GuaranteeType } from '@huuco/domain';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('certifications')
export class Certification {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'zone_id', type: 'uuid' }) zoneId!: string;
  @Column({ name: 'guarantee_type', type: 'varchar', length: 20 }) guaranteeType!: GuaranteeType;
  @Column({ type: 'varchar', length: 40 }) standard!: string;
  @Column({ type: 'varchar', length: 200 }) body!: string;
  @Column({ name: 'certificate_number', type: 'varchar', length: 80 }) certificateNumber!: string;
  @Column({ name: 'valid_from', type: 'date' }) validFrom!: string;
  @Column({ name: 'valid_to', type: 'date' }) validTo!: string;
  @Column({ type: 'varchar', length: 5 }) scope!: CertificationScope;
  @Column({ name: 'document_url', type: 'text', nullable: true }) documentUrl!: string | null;
  @Column({ name: 'is_demo', type: 'boolean', default: false }) isDemo!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('certification_plots')
export class CertificationPlot {
  @PrimaryColumn({ name: 'certification_id', type: 'uuid' }) certificationId!: string;
  @PrimaryColumn({ name: 'plot_id', type: 'uuid' }) plotId!: string;
}
