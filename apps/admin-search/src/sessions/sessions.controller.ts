import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards, UsePipes } from '@nestjs/common';
import type { SessionDocument, SessionId } from '@sg/schema';
import { SessionStore } from '@sg/session';
import { AdminApiKeyGuard } from '../auth/admin-api-key.guard';
import { adminValidationPipe } from '../http/admin-validation.pipe';
import { ListSessionsQuery } from './list-sessions.query';
import { SearchSessionsBody } from './search-sessions.body';
import { SessionSearchResponse, SessionSearchService } from './session-search.service';

/** Session lookup for operators (PROTOCOL section 3). */
@Controller('api/sessions')
@UseGuards(AdminApiKeyGuard)
@UsePipes(adminValidationPipe())
export class SessionsController {
  constructor(
    private readonly search: SessionSearchService,
    private readonly store: SessionStore,
  ) {}

  @Post('search')
  @HttpCode(200)
  searchSessions(@Body() body: SearchSessionsBody): Promise<SessionSearchResponse> {
    return this.search.search(body);
  }

  @Get()
  listSessions(@Query() query: ListSessionsQuery): Promise<SessionSearchResponse> {
    return this.search.list(query);
  }

  @Get(':id')
  async getSession(@Param('id') id: string): Promise<SessionDocument> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new BadRequestException('id must be a session id (1 to 64 of A-Z a-z 0-9 _ -)');
    const document = await this.store.get(id as SessionId);
    if (!document) throw new NotFoundException(`no session ${id}`);
    return document;
  }
}
