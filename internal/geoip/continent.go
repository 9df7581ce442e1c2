// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package geoip

import "strings"

// countriesByContinent lists the ISO 3166-1 alpha-2 codes of each continent, for the
// databases that record the country but not the continent (@ip-location-db). The split
// follows GeoNames, whose continents GeoIP2 reports: Russia in Europe, Turkey and the
// Caucasus in Asia, Cyprus in Europe, Central America and the Caribbean in North
// America, the sub-Antarctic territories in Antarctica. XK is Kosovo's user-assigned
// code, which GeoNames and MaxMind use.
var countriesByContinent = map[string]string{
	"AF": "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG " +
		"ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW",
	"AN": "AQ BV GS HM TF",
	"AS": "AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA LB LK " +
		"MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
	"EU": "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI " +
		"LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK",
	"NA": "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI " +
		"PA PM PR SV SX TC TT US VC VG VI",
	"OC": "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
	"SA": "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
}

// continentByCountry is countriesByContinent turned around, built once.
var continentByCountry = func() map[string]string {
	m := make(map[string]string, 256)
	for continent, countries := range countriesByContinent {
		for _, country := range strings.Fields(countries) {
			m[country] = continent
		}
	}
	return m
}()

// continentOf returns the continent code of an ISO 3166-1 alpha-2 country code, or ""
// for a code it does not know (including the "EU" and "AP" some databases use for a
// range spread over a region).
func continentOf(country string) string {
	return continentByCountry[country]
}
