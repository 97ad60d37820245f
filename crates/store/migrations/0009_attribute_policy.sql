-- Per-attribute thresholds replace the one toxicity threshold: `attributes` holds the JSON form
-- of the site's rules ({"threat": {"hold": 0.5, "reject": null}, ...}, an attribute left out being
-- off), `nudge` whether authors are told before posting. Existing policies get the balanced
-- preset of this release, keeping their own toxicity thresholds (0 or none: off).
ALTER TABLE site_policies ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE site_policies ADD COLUMN nudge BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE site_policies SET attributes =
    '{"toxicity":{"hold":'
    || CASE WHEN toxicity_hold > 0 THEN CAST(toxicity_hold AS TEXT) ELSE 'null' END
    || ',"reject":'
    || CASE WHEN toxicity_reject > 0 THEN CAST(toxicity_reject AS TEXT) ELSE 'null' END
    || '},"insult":{"hold":0.6,"reject":null}'
    || ',"identity_attack":{"hold":0.45,"reject":null}'
    || ',"threat":{"hold":0.5,"reject":null}'
    || ',"dehumanization":{"hold":0.5,"reject":null}'
    || ',"profanity":{"hold":null,"reject":null}}';
ALTER TABLE site_policies DROP COLUMN toxicity_hold;
ALTER TABLE site_policies DROP COLUMN toxicity_reject;
