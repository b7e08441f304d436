import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import { nhiEvidenceExportPermission } from '@nhi-governance/plugin-nhi-common';
import type { NhiApiRouter } from '../schema/typedRouter';
import { DateTime } from 'luxon';
import type { EvidenceService } from './EvidenceService';
import { evidenceExportsQuery, evidenceQuery } from './schemas';
import { parseInput } from '../http/validate';

export interface EvidenceRouteOptions {
  httpAuth: HttpAuthService;
  evidence: Pick<EvidenceService, 'periodOf' | 'export' | 'listExports'>;
  holds(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean>;
  logger?: LoggerService;
}

/** The SOC 2 evidence package, streamed as a ZIP download. */
export function registerEvidenceRoutes(
  router: NhiApiRouter,
  options: EvidenceRouteOptions,
) {
  const { httpAuth, evidence, holds, logger } = options;

  const mayExport = async (credentials: BackstageCredentials) => {
    if (!(await holds(credentials, nhiEvidenceExportPermission))) {
      throw new NotAllowedError(
        `Missing permission ${nhiEvidenceExportPermission.name}`,
      );
    }
  };

  router.get('/evidence/exports', async (req, res) => {
    await mayExport(await httpAuth.credentials(req));
    const { limit } = parseInput(evidenceExportsQuery, req.query, 'query');
    res.json({ items: await evidence.listExports(limit) });
  });

  router.get('/evidence/package', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await mayExport(credentials);
    const scope = parseInput(evidenceQuery, req.query, 'query');
    const now = DateTime.utc();
    const scoped = await evidence.periodOf(
      scope.campaign
        ? { campaign: scope.campaign }
        : { from: scope.from!, to: scope.to! },
      now,
    );
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    const exportedBy =
      principal.userEntityRef ?? `service:${principal.subject ?? 'unknown'}`;
    res.setHeader('Content-Type', 'application/zip');
    // The app may be on another origin (yarn start): let it read the file name.
    res.setHeader('Access-Control-Expose-Headers', 'Content-Disposition');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="nhi-evidence-${scoped.period.from}-${scoped.period.to}.zip"`,
    );
    try {
      await evidence.export(scoped, res, exportedBy, now);
    } catch (error) {
      // Once bytes are out, an error can only cut the download short (the ZIP then lacks its
      // manifest, and fails verification); before that, it is answered as usual.
      if (!res.headersSent) throw error;
      logger?.warn(
        `Evidence export of ${scoped.period.from} to ${scoped.period.to} for ${exportedBy} ended early: ${error}`,
      );
      res.destroy();
    }
  });
}
