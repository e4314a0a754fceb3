import { Module } from '@nestjs/common';
import { LogTreeModule } from '../log/log-tree.module.js';
import { LabelSigner } from './label-signer.js';
import { ProvenanceBuilder } from './provenance.builder.js';
import { ProvenanceService } from './provenance.service.js';
import { ScanLog } from './scan-log.js';

/** The public pages: their stored documents, the signed addresses, the scans. */
@Module({
  imports: [LogTreeModule],
  providers: [ProvenanceBuilder, ProvenanceService, LabelSigner, ScanLog],
  exports: [ProvenanceBuilder, ProvenanceService, LabelSigner],
})
export class ProvenanceModule {}
