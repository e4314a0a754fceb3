import { Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Public } from '../../access/auth/actor.js';
import { Returns, ReturnsFile, zodDto } from '../../platform/http/zod-dto.js';
import { LogAppender } from './log-appender.service.js';
import { LogTree } from './log-tree.service.js';

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const hex = z.array(z.string());
class CheckpointQuery extends zodDto(
  'CheckpointQuery',
  z.object({ size: size.optional() }).strict(),
) {}
class InclusionQuery extends zodDto(
  'InclusionQuery',
  z
    .object({
      event: z.string().regex(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/),
      size: size.optional(),
    })
    .strict(),
) {}
class CosignatureBody extends zodDto(
  'CosignatureBody',
  z.object({ treeSize: size, signature: z.string().min(10).max(400) }).strict(),
) {}
class ConsistencyQuery extends zodDto(
  'ConsistencyQuery',
  z.object({ from: size, to: size.optional() }).strict(),
) {}

/**
 * huuco's public transparency log (RFC 9162): anyone may read checkpoints and proofs, keep a
 * checkpoint, and later check that the log still extends it.
 */
@ApiTags('transparency log')
@Public()
@Controller('log')
export class LogController {
  constructor(
    private readonly log: LogTree,
    private readonly appender: LogAppender,
  ) {}

  /** The latest signed checkpoint (C2SP tlog-checkpoint in a signed note), or the one of `size`. */
  @Get('checkpoint')
  @ReturnsFile('text/plain')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', 'no-cache')
  checkpoint(@Query() query: CheckpointQuery): Promise<string> {
    return this.log.checkpoint(query.size);
  }

  @Get('key')
  @Returns(
    'LogKey',
    z.object({ keyName: z.string(), publicKeyPem: z.string(), verifierKey: z.string() }).strict(),
  )
  key() {
    const signer = this.log.signer;
    return {
      keyName: signer.keyName,
      publicKeyPem: signer.publicKeyPem,
      verifierKey: signer.verifierKey,
    };
  }

  /**
   * A witness sends its cosignature of a checkpoint it verified: the signature line, C2SP
   * tlog-cosignature, by one of the witness keys this log is configured with.
   */
  @Post('cosignatures')
  @HttpCode(201)
  @Returns(
    'Cosignature',
    z.object({ witness: z.string(), treeSize: z.number().int() }).strict(),
    201,
  )
  cosign(@Body() body: CosignatureBody) {
    return this.appender.acceptCosignature(body.treeSize, body.signature);
  }

  /**
   * RFC 9162 §2.1.3: the event's leaf in the tree of `size` (the latest checkpoint's if none),
   * with the entry it hashes: what a lot's page points to for each of its events.
   */
  @Get('proof/inclusion')
  @Returns(
    'InclusionProof',
    z
      .object({
        leafIndex: z.number().int(),
        treeSize: z.number().int(),
        entry: z.string(),
        leafHash: z.string(),
        auditPath: hex,
      })
      .strict(),
  )
  inclusion(@Query() query: InclusionQuery) {
    return this.log.inclusion(query.event, query.size);
  }

  /** RFC 9162 §2.1.4: the tree of `to` extends the tree of `from`. */
  @Get('proof/consistency')
  @Returns(
    'ConsistencyProof',
    z.object({ from: z.number().int(), to: z.number().int(), consistencyPath: hex }).strict(),
  )
  consistency(@Query() query: ConsistencyQuery) {
    return this.log.consistency(query.from, query.to);
  }
}
