import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller.js';
import { HolidaysController } from './holidays.controller.js';
import { RosterController } from './roster.controller.js';
import { RosterRepository } from './roster.repository.js';

/** The duty roster (值班表): stored once, read by paging and the wall's duty badge. */
@Module({ controllers: [RosterController, HolidaysController, CalendarController], providers: [RosterRepository], exports: [RosterRepository] })
export class RosterModule {}
