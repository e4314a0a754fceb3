import { Module } from '@nestjs/common';
import { LogTree } from './log-tree.service.js';

/** Reading the transparency log: checkpoints and proofs, for its endpoints and the pages. */
@Module({ providers: [LogTree], exports: [LogTree] })
export class LogTreeModule {}
