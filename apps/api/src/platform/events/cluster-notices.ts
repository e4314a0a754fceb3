import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { listenTo } from '../database/data-source.js';

const CHANNEL = 'huuco_cluster';

/** What one process changed that others may keep a copy of. */
export type ClusterNotice = { kind: 'scopes.changed' } | { kind: 'user.changed'; userId: string };

type Handler = (notice: ClusterNotice) => void;

/**
 * Several API processes share one database; what a process keeps in memory (an account's scope,
 * for one) must follow a change made by any of them. A writer publishes a notice in its own
 * transaction (`pg_notify`): it reaches every process, this one included, when and only if the
 * transaction commits. A process that lost its listening connection forgets everything it keeps
 * (`gap`), since it cannot know what it missed.
 */
@Injectable()
export class ClusterNotices implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ClusterNotices');
  private readonly handlers: Handler[] = [];
  private readonly gapHandlers: (() => void)[] = [];
  private stop: (() => Promise<void>) | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** `onNotice` for each notice; `onGap` when notices may have been missed. */
  subscribe(onNotice: Handler, onGap: () => void): void {
    this.handlers.push(onNotice);
    this.gapHandlers.push(onGap);
  }

  async publish(manager: EntityManager, notice: ClusterNotice): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(notice)]);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stop = await listenTo(
      this.db,
      this.config,
      CHANNEL,
      (payload) => {
        let notice: ClusterNotice;
        try {
          notice = JSON.parse(payload) as ClusterNotice;
        } catch {
          return this.logger.warn('a notice that is not JSON was ignored');
        }
        for (const handler of this.handlers) handler(notice);
      },
      () => {
        for (const handler of this.gapHandlers) handler();
      },
    );
  }

  /** Before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop?.();
    this.stop = null;
  }
}
