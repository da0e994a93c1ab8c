import { parsePrometheusScrape, PrometheusScrape } from './prometheus-scrape';

/** GETs `${baseUrl}/metrics` and parses it. */
export async function scrapeMetrics(baseUrl: string): Promise<PrometheusScrape> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`GET ${baseUrl}/metrics answered ${response.status}`);
  return parsePrometheusScrape(await response.text());
}
