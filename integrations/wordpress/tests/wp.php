<?php
/**
 * Drives the test WordPress from the command line for crates/cli/tests/cli/wordpress.rs:
 * `php wp.php COMMAND [ARGS…]` with ROSTRA_WP_DB, ROSTRA_WP_CONTENT and ROSTRA_WP_URL set,
 * run with the WordPress folder as ABSPATH (ROSTRA_WORDPRESS). Every command prints JSON.
 *
 *   install                  install WordPress, activate wpDiscuz and Rostra's plugin
 *   discussion               a post with a threaded wpDiscuz discussion and its votes
 *   configure URL SITE SECRET TOKEN   Rostra's settings
 *   test-connection          what Settings → Rostra → Test connection says
 *   import                   what "Import WordPress comments" does and says
 *   expected POST_ID         the post's comments as WordPress's tables hold them
 *   sso LOGIN                the SSO claims the plugin signs for that user
 *   count POST_ID            get_comments_number() for the post
 *
 * @license GPL-2.0-or-later
 */

define('WP_INSTALLING', ($argv[1] ?? '') === 'install');
$_SERVER['HTTP_HOST'] = parse_url(getenv('ROSTRA_WP_URL'), PHP_URL_HOST);
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
require getenv('ROSTRA_WORDPRESS') . '/wp-config.php';

/** Raised instead of a page when something calls wp_die(): the command fails loudly. */
class RostraTestDie extends Exception {}

add_filter('wp_die_handler', fn() => function ($message) {
    throw new RostraTestDie(is_string($message) ? $message : wp_json_encode($message));
});

function out($value): void {
    echo wp_json_encode($value, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
}

function install(): void {
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    require_once ABSPATH . 'wp-admin/includes/plugin.php';
    $result = wp_install('Rostra test', 'admin', 'admin@wp.example', true, '', 'admin-password');
    update_option('permalink_structure', '/%postname%/');
    update_option('comment_moderation', 0);
    update_option('comment_previously_approved', 0);
    update_option('comment_registration', 0);
    update_option('require_name_email', 1);
    update_option('thread_comments', 1);
    update_option('thread_comments_depth', 10);
    switch_theme('twentytwentyone');
    $activated = [];
    foreach (['wpdiscuz/class.WpdiscuzCore.php', 'rostra/rostra.php'] as $plugin) {
        $error = activate_plugin($plugin);
        $activated[$plugin] = is_wp_error($error) ? $error->get_error_message() : 'active';
    }
    out(['user_id' => $result['user_id'], 'plugins' => $activated]);
}

/** A comment as wpDiscuz writes one (WordPress's own comment rows, wpDiscuz's comment type). */
function comment(int $post, int $parent, array $who, string $text, string $date, string $ip, string $type = 'comment'): int {
    $data = array_merge($who, [
        'comment_post_ID' => $post,
        'comment_parent' => $parent,
        'comment_content' => $text,
        'comment_date' => $date,
        'comment_date_gmt' => $date,
        'comment_approved' => 1,
        'comment_author_IP' => $ip,
        'comment_type' => $type,
    ]);
    return (int) wp_insert_comment(wp_slash($data));
}

/**
 * A vote through wpDiscuz's own handler, over HTTP as the browser sends it, from a guest at
 * another loopback address (wpDiscuz tells guests apart by their address).
 */
function vote(int $comment, int $type, string $ip): string {
    $curl = curl_init(admin_url('admin-ajax.php'));
    curl_setopt_array($curl, [
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => http_build_query(['action' => 'wpdVoteOnComment', 'commentId' => $comment,
            'voteType' => $type, 'wpdiscuz_nonce' => wp_create_nonce('wpdiscuz_nonce')]),
        CURLOPT_INTERFACE => $ip,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_USERAGENT => "voter $ip",
        CURLOPT_TIMEOUT => 30,
    ]);
    $answer = curl_exec($curl);
    return $answer === false ? 'curl: ' . curl_error($curl) : (string) $answer;
}

function discussion(): void {
    $editor = wp_insert_user(['user_login' => 'edna', 'user_pass' => 'edna-password', 'role' => 'editor',
        'display_name' => 'Edna Editor', 'user_email' => 'edna@wp.example']);
    $reader = wp_insert_user(['user_login' => 'rita', 'user_pass' => 'rita-password', 'role' => 'subscriber',
        'display_name' => 'Rita Reader', 'user_email' => 'rita@wp.example']);
    $post = wp_insert_post(['post_title' => 'Riverside', 'post_content' => 'The river is rising.',
        'post_status' => 'publish', 'post_author' => 1, 'post_date_gmt' => '2024-03-01 08:00:00',
        'post_date' => '2024-03-01 08:00:00']);
    $guest = ['comment_author' => 'Gus Guest', 'comment_author_email' => 'gus@mail.example', 'user_id' => 0];
    $rita = ['comment_author' => 'Rita Reader', 'comment_author_email' => 'rita@wp.example', 'user_id' => $reader];
    $edna = ['comment_author' => 'Edna Editor', 'comment_author_email' => 'edna@wp.example', 'user_id' => $editor];
    $first = comment($post, 0, $guest, "The bridge is closed.\n\nSince Monday.", '2024-03-01 09:00:00', '192.0.2.1');
    $reply = comment($post, $first, $rita, 'Is the ferry running?', '2024-03-01 09:30:00', '192.0.2.2');
    $deeper = comment($post, $reply, $edna, 'Yes, every <em>hour</em>.', '2024-03-01 10:00:00', '192.0.2.3');
    $deepest = comment($post, $deeper, $guest, 'Thanks & see you there.', '2024-03-01 10:15:00', '192.0.2.1');
    $sticky = comment($post, 0, $edna, 'Please keep it civil.', '2024-03-01 08:30:00', '192.0.2.3', 'wpdiscuz_sticky');
    $second = comment($post, 0, $rita, 'Second thread.', '2024-03-01 11:00:00', '192.0.2.2');
    // wpDiscuz finishes setting up (its default comment form) on the first admin request, which
    // answers a guest "Permission Denied"; the votes come after it.
    vote(0, 1, '127.0.0.10');
    $votes = [];
    foreach ([[$first, 1, '127.0.0.11'], [$first, 1, '127.0.0.12'], [$first, -1, '127.0.0.13'],
              [$deeper, 1, '127.0.0.11'], [$second, -1, '127.0.0.11'], [$second, -1, '127.0.0.12']] as [$c, $t, $ip]) {
        $votes[] = vote($c, $t, $ip);
    }
    out(['post_id' => $post, 'url' => get_permalink($post), 'comments' => [$first, $reply, $deeper, $deepest, $sticky, $second],
         'votes' => $votes]);
}

/** The post's comments as WordPress's tables hold them, with wpDiscuz's vote meta. */
function expected(int $post): void {
    global $wpdb;
    $rows = $wpdb->get_results($wpdb->prepare(
        "SELECT c.comment_ID AS id, c.comment_parent AS parent, c.comment_author AS author,
                c.comment_author_email AS email, c.comment_date_gmt AS date_gmt, c.comment_content AS content,
                c.comment_type AS type, c.user_id AS user_id,
                (SELECT meta_value FROM {$wpdb->commentmeta} m WHERE m.comment_id = c.comment_ID AND m.meta_key = 'wpdiscuz_votes_seperate') AS votes
         FROM {$wpdb->comments} c WHERE c.comment_post_ID = %d ORDER BY c.comment_ID", $post), ARRAY_A);
    foreach ($rows as &$row) {
        $votes = maybe_unserialize($row['votes'] ?? '');
        $row['likes'] = (int) ($votes['like'] ?? 0);
        $row['dislikes'] = (int) ($votes['dislike'] ?? 0);
        unset($row['votes']);
    }
    $voted = $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->prefix}wc_users_voted");
    out(['comments' => $rows, 'votes_recorded' => (int) $voted]);
}

$command = $argv[1] ?? '';
switch ($command) {
    case 'install':
        install();
        break;
    case 'discussion':
        discussion();
        break;
    case 'configure':
        update_option('rostra_settings', ['url' => $argv[2], 'site' => $argv[3], 'sso_secret' => $argv[4], 'import_token' => $argv[5]]);
        out(rostra_settings());
        break;
    case 'test-connection':
        out(rostra_test_connection());
        break;
    case 'import':
        out(rostra_import_comments());
        break;
    case 'expected':
        expected((int) $argv[2]);
        break;
    case 'sso':
        out(rostra_sso_claims(get_user_by('login', $argv[2]), time()));
        break;
    case 'count':
        out(get_comments_number((int) $argv[2]));
        break;
    default:
        fwrite(STDERR, "unknown command '$command'\n");
        exit(2);
}
