<?php
/**
 * "Import WordPress comments": WordPress's own export (the WXR file Tools → Export writes, with
 * wpDiscuz's votes in the comments' meta) sent to Rostra's import with the site's import token.
 * Pressing it again adds nothing twice: Rostra remembers what it imported.
 *
 * @license GPL-2.0-or-later
 */

defined('ABSPATH') || exit;

/** WordPress's WXR export of everything (posts with their comments), as a string. */
function rostra_export_wxr(): string {
    require_once ABSPATH . 'wp-admin/includes/export.php';
    ob_start();
    export_wp(['content' => 'all']);
    $wxr = (string) ob_get_clean();
    // export_wp() sets the headers of a download; this request answers otherwise.
    if (!headers_sent()) {
        header_remove('Content-Description');
        header_remove('Content-Disposition');
        header_remove('Content-Type');
    }
    return $wxr;
}

/**
 * Sends the export to Rostra. Answers `ok`, Rostra's summary (imported, already imported,
 * skipped with reasons) and a message for people.
 */
function rostra_import_comments(): array {
    $s = rostra_settings();
    if (!rostra_configured() || $s['import_token'] === '') {
        return ['ok' => false, 'summary' => null,
                'message' => __('Set the Rostra URL, the site key and the import token first.', 'rostra')];
    }
    $r = rostra_request('POST', '/api/admin/import', ['site' => $s['site'], 'format' => 'wxr'], [
        'timeout' => 300,
        'headers' => ['Authorization' => 'Bearer ' . $s['import_token'], 'Content-Type' => 'application/xml'],
        'body' => rostra_export_wxr(),
    ]);
    if ($r['status'] === 200 && is_array($r['json'])) {
        $sum = $r['json'];
        $message = sprintf(
            /* translators: 1: comments imported, 2: already imported, 3: skipped */
            __('Imported %1$d comments; %2$d were imported before; %3$d skipped.', 'rostra'),
            $sum['comments_imported'] ?? 0,
            $sum['comments_already_imported'] ?? 0,
            count($sum['skipped'] ?? [])
        );
        return ['ok' => true, 'summary' => $sum, 'message' => $message];
    }
    $why = $r['status'] === 0
        ? sprintf(__('Rostra is not reachable: %s', 'rostra'), $r['message'])
        : sprintf(__('Rostra refused the import (%1$s): %2$s', 'rostra'), $r['code'] ?: 'HTTP ' . $r['status'], $r['message']);
    return ['ok' => false, 'summary' => null, 'message' => $why];
}

add_action('admin_post_rostra_import', 'rostra_import_pressed');

function rostra_import_pressed(): void {
    if (!current_user_can('manage_options')) {
        wp_die(esc_html__('You may not import comments.', 'rostra'), 403);
    }
    check_admin_referer('rostra_import');
    set_transient('rostra_import_result_' . get_current_user_id(), rostra_import_comments(), HOUR_IN_SECONDS);
    wp_safe_redirect(admin_url('options-general.php?page=rostra&imported=1'));
    exit;
}
