import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  createDeliverySchema,
  deliveryDtoSchema,
  deliveryListQuerySchema,
  pageSchema,
  receiveDeliverySchema,
} from '@huuco/domain';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { DeliveryService } from './delivery.service.js';

class CreateDeliveryDto extends zodDto('CreateDeliveryDto', createDeliverySchema) {}
class DeliveryListQueryDto extends zodDto('DeliveryListQuery', deliveryListQuerySchema) {}
class ReceiveDeliveryDto extends zodDto('ReceiveDeliveryDto', receiveDeliverySchema) {}

@ApiTags('contracts')
@ApiBearerAuth()
@Controller('deliveries')
export class DeliveryController {
  constructor(private readonly deliveries: DeliveryService) {}

  @Get()
  @Allow('contracts.read')
  @Returns('DeliveryPage', pageSchema(deliveryDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: DeliveryListQueryDto) {
    return this.deliveries.list(actor, query);
  }

  /** Lots shipped against an active contract: never more than remains of a lot. */
  @Post()
  @Allow('deliveries.write')
  @Returns('DeliveryDto', deliveryDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDeliveryDto) {
    return this.deliveries.create(actor, dto);
  }

  @Get(':id')
  @Allow('contracts.read')
  @Returns('DeliveryDto', deliveryDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.deliveries.get(actor, id);
  }

  /** The buyer confirms receipt. */
  @Post(':id/receive')
  @Allow('deliveries.receive')
  @Returns('DeliveryDto', deliveryDtoSchema, 201)
  receive(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: ReceiveDeliveryDto) {
    return this.deliveries.receive(actor, id, dto.receivedOn);
  }
}
