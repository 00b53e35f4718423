/** Maintenance configurations (synchronous): list, get (404 for an unknown name), PUT, DELETE. Properties are served verbatim. */
import { badRequest, notFound } from '../errors';
import type { SimContext } from '../context';
import { isRecord, route, type Route } from '../http';
import { maintenanceResource } from '../wire';
import { CL, page, requireCluster } from './common';

export function maintenanceRoutes(ctx: SimContext): Route[] {
  return [
    route(
      'GET',
      `${CL}/maintenanceConfigurations`,
      'MaintenanceConfigurations_ListByManagedCluster',
      (req) => {
        const c = requireCluster(ctx, req);
        const items = [...c.maintenance.entries()].map(([name, props]) =>
          maintenanceResource(c, name, props),
        );
        return { status: 200, body: page(req, items, ctx.state.pageSize) };
      },
    ),
    route('GET', `${CL}/maintenanceConfigurations/{configName}`, 'MaintenanceConfigurations_Get', (req) => {
      const c = requireCluster(ctx, req);
      const name = req.params.configName ?? '';
      const props = c.maintenance.get(name);
      if (!props)
        throw notFound(`Maintenance configuration '${name}' not found in managed cluster '${c.name}'.`);
      return { status: 200, body: maintenanceResource(c, name, props) };
    }),
    route(
      'PUT',
      `${CL}/maintenanceConfigurations/{configName}`,
      'MaintenanceConfigurations_CreateOrUpdate',
      (req) => {
        const c = requireCluster(ctx, req);
        const name = req.params.configName ?? '';
        if (!isRecord(req.body) || !isRecord(req.body.properties)) {
          throw badRequest(
            'InvalidRequestContent',
            'The request content was invalid: a MaintenanceConfiguration with properties is required.',
          );
        }
        const existed = c.maintenance.has(name);
        c.maintenance.set(name, structuredClone(req.body.properties));
        return { status: existed ? 200 : 201, body: maintenanceResource(c, name, req.body.properties) };
      },
    ),
    route(
      'DELETE',
      `${CL}/maintenanceConfigurations/{configName}`,
      'MaintenanceConfigurations_Delete',
      (req) => {
        const c = requireCluster(ctx, req);
        return { status: c.maintenance.delete(req.params.configName ?? '') ? 200 : 204 };
      },
    ),
  ];
}
