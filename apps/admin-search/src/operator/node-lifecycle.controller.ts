import { Controller, UsePipes, ValidationPipe } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { NODE_LIFECYCLE_EVENTS, NodeLifecycleEvent } from '@sg/schema';
import { NodeLifecycleView } from './node-lifecycle.view';

/** Node lifecycle notifications from the gateways, over the Nest Redis transport. */
@Controller()
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
export class NodeLifecycleController {
  constructor(private readonly view: NodeLifecycleView) {}

  @EventPattern(NODE_LIFECYCLE_EVENTS.started)
  started(@Payload() event: NodeLifecycleEvent): void {
    this.view.heard(NODE_LIFECYCLE_EVENTS.started, event);
  }

  @EventPattern(NODE_LIFECYCLE_EVENTS.draining)
  draining(@Payload() event: NodeLifecycleEvent): void {
    this.view.heard(NODE_LIFECYCLE_EVENTS.draining, event);
  }

  @EventPattern(NODE_LIFECYCLE_EVENTS.undrained)
  undrained(@Payload() event: NodeLifecycleEvent): void {
    this.view.heard(NODE_LIFECYCLE_EVENTS.undrained, event);
  }

  @EventPattern(NODE_LIFECYCLE_EVENTS.stopped)
  stopped(@Payload() event: NodeLifecycleEvent): void {
    this.view.heard(NODE_LIFECYCLE_EVENTS.stopped, event);
  }
}
