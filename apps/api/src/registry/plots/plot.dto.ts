import {
  createPlotSchema,
  importPlotsSchema,
  plotClusterQuerySchema,
  plotListQuerySchema,
  plotStatusQuerySchema,
  retirePlotSchema,
  updatePlotSchema,
} from '@huuco/domain';
import { zodDto } from '../../platform/http/zod-dto.js';

export class CreatePlotDto extends zodDto('CreatePlotDto', createPlotSchema) {}
export class UpdatePlotDto extends zodDto('UpdatePlotDto', updatePlotSchema) {}
export class RetirePlotDto extends zodDto('RetirePlotDto', retirePlotSchema) {}
export class PlotListQueryDto extends zodDto('PlotListQuery', plotListQuerySchema) {}
export class PlotStatusQueryDto extends zodDto('PlotStatusQuery', plotStatusQuerySchema) {}
export class ImportPlotsDto extends zodDto('ImportPlotsDto', importPlotsSchema) {}
export class PlotClusterQueryDto extends zodDto('PlotClusterQuery', plotClusterQuerySchema) {}
