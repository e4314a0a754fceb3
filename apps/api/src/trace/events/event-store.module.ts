import { Module } from '@nestjs/common';
import { EventStore } from './event-store.js';

/** The chain of EPCIS events every trace write appends to. */
@Module({ providers: [EventStore], exports: [EventStore] })
export class EventStoreModule {}
