import { Module } from '@nestjs/common';
import { LabelSigner } from './label-signer.js';
import { ProvenanceBuilder } from './provenance.builder.js';
import { ProvenanceService } from './provenance.service.js';
import { ScanLog } from './scan-log.js';

/** The public pages: their stored documents, the signed addresses, the scans. */
@Module({
  providers: [ProvenanceBuilder, ProvenanceService, LabelSigner, ScanLog],
  exports: [ProvenanceBuilder, ProvenanceService, LabelSigner],
})
export class ProvenanceModule {}
