import { Controller, Get } from '@nestjs/common';
import type { ReferenceData } from '@wall/shared';
import { ReferenceService } from './reference.service.js';

@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get()
  get(): ReferenceData {
    return this.reference.index.data;
  }
}
