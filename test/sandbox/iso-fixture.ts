/**
 * Verbatim copy of ../shared/trackunit-api/iso-fleet-sample.json (the ISO 15143-3 JSON shape this project
 * assumes), kept in the repo so the contract tests do not read outside it, plus the two stored assets
 * whose latest telemetry the sandbox must render as that fixture's equipment.
 */
import type { AssetRecord } from '../../src/sandbox/store.js';

export const ISO_FLEET_SAMPLE = {
  "version": "2",
  "snapshotTime": "2025-03-04T06:00:00Z",
  "links": [
    {
      "rel": "self",
      "href": "https://iris.trackunit.com/public/api/aemp/v2/15143/-3/Fleet/1"
    },
    {
      "rel": "next",
      "href": "https://iris.trackunit.com/public/api/aemp/v2/15143/-3/Fleet/2"
    },
    {
      "rel": "last",
      "href": "https://iris.trackunit.com/public/api/aemp/v2/15143/-3/Fleet/2"
    }
  ],
  "equipment": [
    {
      "EquipmentHeader": {
        "UnitInstallDateTime": "2023-04-11T09:30:00Z",
        "OEMName": "Wacker Neuson",
        "Model": "EZ26",
        "EquipmentID": "Excavator 12 - Depot North",
        "SerialNumber": "WNCE0506PPAL01234",
        "PIN": "WNCE0506PPAL01234"
      },
      "Location": {
        "datetime": "2025-03-04T05:41:10Z",
        "Latitude": 57.048812,
        "Longitude": 9.921733,
        "Altitude": 14.0,
        "AltitudeUnits": "metres"
      },
      "CumulativeOperatingHours": {
        "datetime": "2025-03-04T05:40:00Z",
        "Hour": 1532.4
      },
      "CumulativeIdleHours": {
        "datetime": "2025-03-04T05:40:00Z",
        "Hour": 412.75
      },
      "EngineStatus": {
        "datetime": "2025-03-04T05:40:00Z",
        "Running": false
      },
      "FuelRemaining": {
        "datetime": "2025-03-04T05:40:00Z",
        "Percent": 63
      },
      "Distance": {
        "datetime": "2025-03-04T05:40:00Z",
        "OdometerUnits": "kilometre",
        "Odometer": 88.2
      },
      "Metadata": {
        "TelematicSerialNumber": "3410022",
        "MachineId": "7d2f0c1e-4b6a-4c59-9f3e-2a81c6d0b5e4",
        "UnitId": "5512087",
        "ExternalReferenceNumber": "ERP-ASSET-0042"
      },
      "BatteryPotential": {
        "datetime": "2025-03-04T05:39:30Z",
        "BatteryPotential": 12.8,
        "Value": 12.8
      },
      "CumulativeMovingHours": {
        "datetime": "2025-03-04T05:40:00Z",
        "Hour": 97.1,
        "Value": 97.1
      }
    },
    {
      "EquipmentHeader": {
        "UnitInstallDateTime": "2024-09-02T13:05:00Z",
        "OEMName": "Genie",
        "Model": "GS-1932",
        "EquipmentID": "Scissor lift 7",
        "SerialNumber": "3390118",
        "PIN": "GS3213A-118"
      },
      "Location": {
        "datetime": "2025-03-03T17:12:44Z",
        "Latitude": 55.676098,
        "Longitude": 12.568337
      },
      "CumulativeOperatingHours": {
        "datetime": "2025-03-03T17:10:00Z",
        "Hour": 215.0
      },
      "Metadata": {
        "TelematicSerialNumber": "3390118",
        "MachineId": "c0a4e9b2-91d7-4f0e-8e35-6b2d1f7a9c03",
        "UnitId": "6024511",
        "ExternalReferenceNumber": null
      }
    }
  ]
};

const STAMP = '2025-01-01T00:00:00.000Z';

/** Stored assets behind the fixture's two equipment (the second has no equipment serial number). */
export function fixtureAssets(ownerAccountId: string): AssetRecord[] {
  const base = { assetType: 'MACHINE', type: null, productionYear: 2022, ownerAccountId, owned: true, rentalStatus: null, owningDepotId: null, createdAt: STAMP, updatedAt: STAMP };
  return [
    {
      ...base,
      id: '7d2f0c1e-4b6a-4c59-9f3e-2a81c6d0b5e4',
      name: 'Excavator 12 - Depot North',
      brand: 'Wacker Neuson',
      model: 'EZ26',
      serialNumber: 'WNCE0506PPAL01234',
      externalReference: 'ERP-ASSET-0042',
      telematicsDevices: [{ id: 'a1c7a9a0-0000-4000-8000-000000000001', serialNumber: '3410022' }],
      telemetry: {
        pin: 'WNCE0506PPAL01234',
        unitId: '5512087',
        unitInstallDateTime: '2023-04-11T09:30:00Z',
        location: { latitude: 57.048812, longitude: 9.921733, altitude: 14, datetime: '2025-03-04T05:41:10Z' },
        operatingHours: { hour: 1532.4, datetime: '2025-03-04T05:40:00Z' },
        idleHours: { hour: 412.75, datetime: '2025-03-04T05:40:00Z' },
        fuelRemaining: { percent: 63, datetime: '2025-03-04T05:40:00Z' },
        engineRunning: { running: false, datetime: '2025-03-04T05:40:00Z' },
        distance: { odometerKm: 88.2, datetime: '2025-03-04T05:40:00Z' },
        batteryPotential: { volts: 12.8, datetime: '2025-03-04T05:39:30Z' },
      },
    },
    {
      ...base,
      id: 'c0a4e9b2-91d7-4f0e-8e35-6b2d1f7a9c03',
      name: 'Scissor lift 7',
      brand: 'Genie',
      model: 'GS-1932',
      serialNumber: null,
      externalReference: null,
      telematicsDevices: [{ id: 'a1c7a9a0-0000-4000-8000-000000000002', serialNumber: '3390118' }],
      telemetry: {
        pin: 'GS3213A-118',
        unitId: '6024511',
        unitInstallDateTime: '2024-09-02T13:05:00Z',
        location: { latitude: 55.676098, longitude: 12.568337, altitude: null, datetime: '2025-03-03T17:12:44Z' },
        operatingHours: { hour: 215.0, datetime: '2025-03-03T17:10:00Z' },
        idleHours: null,
        fuelRemaining: null,
        engineRunning: null,
        distance: null,
        batteryPotential: null,
      },
    },
  ];
}
