import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A company buying from cooperatives (doanh nghiệp); its users see its contracts and lots. */
@Entity('buyers')
export class Buyer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  /** Mã số thuế: 10 digits, or 10-3 for a branch. */
  @Column({ name: 'tax_code', type: 'varchar', length: 14 }) taxCode!: string;
  @Column({ type: 'varchar', length: 120 }) province!: string;
  /** The admin unit (district or province) that registered it; its administrators manage it. */
  @Column({ name: 'registered_unit_id', type: 'uuid', nullable: true })
  registeredUnitId!: string | null;
  @Column({ name: 'is_demo', type: 'boolean', default: false }) isDemo!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
