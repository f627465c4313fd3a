//! Chinese, Japanese and Korean items. These languages write no spaces between words, so
//! the words of the table are found by the longest match at each character and rewritten to
//! the English the binders read, with spaces around them ("SSL证书有效期>30天" → "ssl
//! certificate expiry >30 days"); word order stays the team's, which for these lists is
//! mostly the English order. Characters no entry covers stay as they are, a word of their
//! own, so an item that says more than the table knows still says more: binders that decline
//! unknown words keep declining.
//!
//! Full-width punctuation and digits become their ASCII forms, so "（>80%）" reads as "(>80%)".

use std::borrow::Cow;

use super::normalise::look_up;

/// Chinese (simplified and traditional), Japanese and Korean words and their English,
/// sorted (tested) for a binary search. An empty English drops the word (particles).
const CJK: &[(&str, &str)] = &[
    ("から", "from"),
    ("が", ""),
    ("された", ""),
    ("されていない", "not"),
    ("されている", ""),
    ("した", ""),
    ("している", ""),
    ("する", ""),
    ("ていない", "not"),
    ("ている", ""),
    ("で", ""),
    ("と", "and"),
    ("ない", "not"),
    ("なし", "none"),
    ("に", ""),
    ("になっている", ""),
    ("の", ""),
    ("のみ", "only"),
    ("は", ""),
    ("へ", ""),
    ("より", "than"),
    ("を", ""),
    ("アラート", "alerts"),
    ("アラート設定", "alerts configured"),
    ("イメージ", "image"),
    ("エラー通知", "error notification"),
    ("エンドポイント", "endpoint"),
    ("コミット", "commit"),
    ("コミットされていない", "not committed"),
    ("コンテナ", "container"),
    ("シークレット", "secrets"),
    ("ステージング", "staging"),
    ("セキュリティパッチ", "security patches"),
    ("タグ", "tag"),
    ("ダッシュボード", "dashboard"),
    ("テスト", "test"),
    ("デプロイ", "deploy"),
    ("データベース", "database"),
    ("ドキュメント", "documentation"),
    ("ドキュメント化", "documented"),
    ("ハードコーディング", "hardcoded"),
    ("ハードコーディングされていない", "not hardcoded"),
    ("ハードコード", "hardcoded"),
    ("ハードコードされていない", "not hardcoded"),
    ("バックアップ", "backup"),
    ("パスワード", "password"),
    ("ビルド", "build"),
    ("ヘルスチェック", "health check"),
    ("ヘルスチェックエンドポイント", "health check endpoint"),
    ("マイグレーション", "migrations"),
    ("メトリクス", "metrics"),
    ("メトリクス収集", "metrics collection"),
    ("ユーザー", "user"),
    ("ランブック", "runbook"),
    ("リストア", "restore"),
    ("リダイレクト", "redirect"),
    ("レスポンスタイム", "response time"),
    ("レート制限", "rate limiting"),
    ("ロギング", "logging"),
    ("ログ", "logs"),
    ("ログ監視", "log monitoring"),
    ("ローテーション", "rotation"),
    ("ロールバック", "rollback"),
    ("ロールバック手順", "rollback procedure"),
    ("ワイルドカード", "wildcard"),
    ("上传", "upload"),
    ("上报", "reporting"),
    ("下线", "offline"),
    ("不", "not"),
    ("不可", "not"),
    ("不在", "not in"),
    ("不提交", "not committed"),
    ("不暴露", "not exposed"),
    ("不能", "cannot"),
    ("不要", "do not"),
    ("不进", "not in"),
    ("与", "and"),
    ("中", "in"),
    ("主从复制", "replication"),
    ("云端", "cloud"),
    ("人工", "manual"),
    ("从", "from"),
    ("仓库", "repository"),
    ("代码", "code"),
    ("代码库", "repository"),
    ("代码扫描", "code scanning"),
    ("代码检查", "lint"),
    ("令牌", "token"),
    ("以上", "or more"),
    ("以下", "or less"),
    ("以内", "within"),
    ("以及", "and"),
    ("仪表板", "dashboard"),
    ("仪表盘", "dashboard"),
    ("任务", "job"),
    ("会话", "session"),
    ("传输", "transit"),
    ("传输加密", "encryption in transit"),
    ("低于", "under"),
    ("使用", "use"),
    ("使用率", "usage"),
    ("依存関係", "dependencies"),
    ("依赖", "dependencies"),
    ("依赖更新", "dependency updates"),
    ("保存されていない", "not stored"),
    ("保护", "protection"),
    ("保留", "retain"),
    ("值班", "on-call"),
    ("健康检查", "health check"),
    ("健康检查端点", "health check endpoint"),
    ("備份", "backup"),
    ("儀表板", "dashboard"),
    ("內存", "memory"),
    ("全部", "all"),
    ("公网", "public internet"),
    ("公開されていない", "not exposed"),
    ("关闭", "disabled"),
    ("内存", "memory"),
    ("准备", "prepare"),
    ("凭据", "credentials"),
    ("凭证", "credentials"),
    ("分支保护", "branch protection"),
    ("分钟", "minutes"),
    ("创建", "create"),
    ("删除", "remove"),
    ("到", "to"),
    ("制限", "restricted"),
    ("前端", "frontend"),
    ("副本", "replicas"),
    ("副本数", "replicas"),
    ("加密", "encrypted"),
    ("加密传输", "encrypted in transit"),
    ("包含", "include"),
    ("单元", "unit"),
    ("单元测试", "unit tests"),
    ("压力测试", "stress test"),
    ("压测", "load test"),
    ("及", "and"),
    ("发布说明", "release notes"),
    ("变更日志", "changelog"),
    ("只读", "read-only"),
    ("可以", "can"),
    ("可用", "available"),
    ("后端", "backend"),
    ("启用", "enabled"),
    ("告警", "alerts"),
    ("告警规则", "alert rules"),
    ("命名空间", "namespace"),
    ("和", "and"),
    ("响应", "response"),
    ("响应头", "response headers"),
    ("响应时间", "response time"),
    ("回滚", "rollback"),
    ("回滚方案", "rollback plan"),
    ("回滚计划", "rollback plan"),
    ("回滚预案", "rollback plan"),
    ("团队", "team"),
    ("固定", "pinned"),
    ("固定版本", "pinned version"),
    ("在", "in"),
    ("均", "all"),
    ("域名", "domain"),
    ("培训", "training"),
    ("基础镜像", "base image"),
    ("备份", "backup"),
    ("备份已完成", "backup completed"),
    ("备份策略", "backup strategy"),
    ("备份脚本", "backup script"),
    ("备份计划", "backup schedule"),
    ("复制", "replication"),
    ("复杂度", "complexity"),
    ("外部", "external"),
    ("外部访问", "external access"),
    ("多阶段构建", "multi-stage build"),
    ("大于", "greater than"),
    ("天", "days"),
    ("存储", "storage"),
    ("存活探针", "liveness probe"),
    ("安全", "security"),
    ("安全响应头", "security headers"),
    ("安全头", "security headers"),
    ("安全扫描", "security scan"),
    ("安装", "installed"),
    ("完成", "completed"),
    ("完整", "full"),
    ("完整备份", "full backup"),
    ("宕机", "down"),
    ("定时备份", "scheduled backups"),
    ("定期", "regularly"),
    ("定期的", "regularly"),
    ("实时", "real-time"),
    ("实现", "implemented"),
    ("审批", "approval"),
    ("审查", "review"),
    ("审核", "review"),
    ("容器", "container"),
    ("容量", "capacity"),
    ("密码", "password"),
    ("密钥", "secret key"),
    ("小于", "less than"),
    ("小时", "hours"),
    ("就绪", "ready"),
    ("就绪探针", "readiness probe"),
    ("已", ""),
    ("已完成", "completed"),
    ("已经", ""),
    ("已通知", "notified"),
    ("并发", "concurrent"),
    ("并发用户", "concurrent users"),
    ("应用", "application"),
    ("延迟", "latency"),
    ("开启", "enabled"),
    ("开放", "open"),
    ("异常", "errors"),
    ("強力", "strong"),
    ("强密码", "strong password"),
    ("当前", "current"),
    ("復元", "restore"),
    ("復旧", "recovery"),
    ("復旧手順", "recovery procedure"),
    ("応答時間", "response time"),
    ("性能", "performance"),
    ("性能测试", "performance test"),
    ("恢复", "restore"),
    ("恢复流程", "restore procedure"),
    ("情况", "status"),
    ("慢", "slow"),
    ("慢查询", "slow queries"),
    ("成功", "succeeds"),
    ("或", "or"),
    ("所有", "all"),
    ("手順", "procedure"),
    ("打开", "open"),
    ("执行", "run"),
    ("扩容", "scale out"),
    ("扫描", "scan"),
    ("批准", "approved"),
    ("持续集成", "continuous integration"),
    ("指南", "guide"),
    ("指标", "metrics"),
    ("探活", "liveness probe"),
    ("探针", "probes"),
    ("接入", "integrated"),
    ("接口", "api"),
    ("接続", "connection"),
    ("推荐", "recommended"),
    ("推送", "push"),
    ("提交", "commit"),
    ("操作手册", "runbook"),
    ("支持", "support"),
    ("故障排查", "troubleshooting"),
    ("故障排除", "troubleshooting"),
    ("敏感", "sensitive"),
    ("敏感信息", "secrets"),
    ("数据", "data"),
    ("数据加密", "data encrypted"),
    ("数据库", "database"),
    ("数据库迁移", "database migrations"),
    ("文件", "file"),
    ("文書化", "documented"),
    ("文档", "documentation"),
    ("方案", "plan"),
    ("无", "no"),
    ("日志", "logs"),
    ("日志切割", "log rotation"),
    ("日志级别", "log level"),
    ("日志轮换", "log rotation"),
    ("日志轮转", "log rotation"),
    ("明文", "plaintext"),
    ("暗号化", "encryption"),
    ("暴露", "exposed"),
    ("更新", "update"),
    ("更新日志", "changelog"),
    ("最大连接数", "max connections"),
    ("最小化", "minimized"),
    ("最新", "latest"),
    ("有効", "enabled"),
    ("有効になっている", "enabled"),
    ("有効期限", "expiry"),
    ("有效期", "expiry"),
    ("服务", "service"),
    ("服务器", "server"),
    ("未提交", "not committed"),
    ("本番", "production"),
    ("本番環境", "production"),
    ("机密", "secrets"),
    ("权限", "permissions"),
    ("构建", "build"),
    ("架构", "architecture"),
    ("架构图", "architecture diagram"),
    ("查询", "queries"),
    ("标签", "tag"),
    ("检查", "check"),
    ("检查通过", "check pass"),
    ("検査", "scan"),
    ("権限", "permissions"),
    ("正常", "ok"),
    ("每个", "every"),
    ("每周", "weekly"),
    ("每天", "daily"),
    ("每小时", "hourly"),
    ("每日", "daily"),
    ("没有", "no"),
    ("流水线", "pipeline"),
    ("流程", "procedure"),
    ("测试", "test"),
    ("测试恢复", "test restore"),
    ("测试覆盖率", "test coverage"),
    ("浏览器", "browser"),
    ("済", ""),
    ("済み", ""),
    ("漏洞扫描", "vulnerability scan"),
    ("演练", "drill"),
    ("灰度发布", "canary release"),
    ("版本", "version"),
    ("状态", "status"),
    ("状态码", "status code"),
    ("环境变量", "environment variables"),
    ("環境変数", "environment variables"),
    ("環境變數", "environment variables"),
    ("生产环境", "production"),
    ("生成", "generate"),
    ("生效", "active"),
    ("用户", "user"),
    ("由", "by"),
    ("的", ""),
    ("监控", "monitoring"),
    ("监视", "monitoring"),
    ("監視", "monitoring"),
    ("監視設定", "monitoring configured"),
    ("目录", "directory"),
    ("直接アクセス", "direct access"),
    ("硬编码", "hardcoded"),
    ("确保", "ensure"),
    ("确认", "confirm"),
    ("確認", "verify"),
    ("確認済", "verified"),
    ("確認済み", "verified"),
    ("磁盘", "disk"),
    ("禁用", "disabled"),
    ("秒", "seconds"),
    ("秘密鍵", "private key"),
    ("秘钥", "secret key"),
    ("端到端", "end-to-end"),
    ("端口", "port"),
    ("端点", "endpoint"),
    ("策略", "strategy"),
    ("管理员", "admin"),
    ("系統", "system"),
    ("系统", "system"),
    ("索引", "indexes"),
    ("红线", ""),
    ("续期", "renewal"),
    ("续签", "renewal"),
    ("网络策略", "network policy"),
    ("脆弱性", "vulnerability"),
    ("脆弱性検査", "vulnerability scan"),
    ("脚本", "script"),
    ("自动", "automatic"),
    ("自动备份", "automatic backups"),
    ("自动扩缩容", "autoscaling"),
    ("自动续期", "automatic renewal"),
    ("至少", "at least"),
    ("节点", "nodes"),
    ("获取", "obtain"),
    ("覆盖率", "coverage"),
    ("記録されていない", "not logged"),
    ("設定", "configured"),
    ("設定済み", "configured"),
    ("許可", "allowed"),
    ("証明書", "certificate"),
    ("証明書が有効", "certificate valid"),
    ("認証", "authentication"),
    ("認証情報", "credentials"),
    ("警告", "warning"),
    ("计划", "schedule"),
    ("设置", "set up"),
    ("访问", "access"),
    ("证书", "certificate"),
    ("证书已安装", "certificate installed"),
    ("该", "the"),
    ("負荷テスト", "load test"),
    ("負載測試", "load test"),
    ("负载测试", "load test"),
    ("资源限制", "resource limits"),
    ("超过", "over"),
    ("跑", "run"),
    ("跨域", "cors"),
    ("达标", "met"),
    ("迁移", "migrations"),
    ("过期", "expired"),
    ("过期时间", "expiry time"),
    ("过滤", "filtered"),
    ("运维手册", "runbook"),
    ("运行", "run"),
    ("进行", ""),
    ("连接", "connections"),
    ("连接数", "connections"),
    ("连接池", "connection pool"),
    ("通知", "notification"),
    ("通过", "pass"),
    ("速率限制", "rate limiting"),
    ("適用", "applied"),
    ("部署", "deploy"),
    ("部署指南", "deployment guide"),
    ("部署文档", "deployment documentation"),
    ("配置", "configure"),
    ("配置文件", "config file"),
    ("重启", "restart"),
    ("重定向", "redirect"),
    ("锁定", "pinned"),
    ("错误", "errors"),
    ("错误率", "error rate"),
    ("镜像", "image"),
    ("防火墙", "firewall"),
    ("限制", "limit"),
    ("限流", "rate limiting"),
    ("集成", "integration"),
    ("集成测试", "integration tests"),
    ("集群", "cluster"),
    ("非root", "non-root"),
    ("非root用户", "non-root user"),
    ("非特权用户", "non-root user"),
    ("预案", "plan"),
    ("频率限制", "rate limiting"),
    ("验证", "verify"),
    ("高可用", "high availability"),
    ("가능", "possible"),
    ("경고", "alerts"),
    ("경보", "alerts"),
    ("고정", "pinned"),
    ("구성", "configured"),
    ("권한", "permissions"),
    ("대시보드", "dashboard"),
    ("데이터베이스", "database"),
    ("도메인", "domain"),
    ("동작", "working"),
    ("되지", "not"),
    ("된다", ""),
    ("됨", ""),
    ("런북", "runbook"),
    ("레이트", "rate"),
    ("레이트리밋", "rate limit"),
    ("로그", "logs"),
    ("로테이션", "rotation"),
    ("롤백", "rollback"),
    ("루트", "root"),
    ("리다이렉트", "redirect"),
    ("리밋", "limit"),
    ("마이그레이션", "migrations"),
    ("매일", "daily"),
    ("메트릭", "metrics"),
    ("모니터링", "monitoring"),
    ("문서", "documentation"),
    ("문서화", "documented"),
    ("발급", "issued"),
    ("방화벽", "firewall"),
    ("배포", "deploy"),
    ("백업", "backup"),
    ("변수", "variables"),
    ("보관", "retained"),
    ("보안", "security"),
    ("복구", "recovery"),
    ("복원", "restore"),
    ("부하", "load"),
    ("부하테스트", "load test"),
    ("비루트", "non-root"),
    ("비밀", "secret"),
    ("비밀번호", "password"),
    ("사용자", "user"),
    ("생성", "created"),
    ("설정", "configured"),
    ("성능", "performance"),
    ("성능테스트", "performance test"),
    ("속도", "rate"),
    ("속도제한", "rate limiting"),
    ("스캔", "scan"),
    ("시스템", "system"),
    ("실행", "run"),
    ("아키텍처", "architecture"),
    ("않는다", ""),
    ("않음", ""),
    ("알림", "alerts"),
    ("암호화", "encryption"),
    ("없음", "none"),
    ("운영", "operations"),
    ("유효기간", "expiry"),
    ("응답", "response"),
    ("이미지", "image"),
    ("인증서", "certificate"),
    ("자동", "automatic"),
    ("적용", "applied"),
    ("절차", "procedure"),
    ("접근", "access"),
    ("제한", "limit"),
    ("체크", "check"),
    ("최근", "recent"),
    ("최소", "at least"),
    ("취약점", "vulnerabilities"),
    ("커밋", "commit"),
    ("커밋되지", "not committed"),
    ("컨테이너", "container"),
    ("타겟", "target"),
    ("태그", "tag"),
    ("테스트", "test"),
    ("통과", "pass"),
    ("파일", "file"),
    ("헬스", "health"),
    ("헬스체크", "health check"),
    ("확인", "verify"),
    ("환경", "environment"),
    ("환경변수", "environment variables"),
];

/// The longest entry, in characters.
const LONGEST: usize = 15;

/// Whether `c` is written without spaces between words: CJK ideographs, kana, Hangul.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff     // hiragana, katakana
        | 0x3400..=0x4dbf   // CJK extension A
        | 0x4e00..=0x9fff   // CJK unified ideographs
        | 0xac00..=0xd7af   // Hangul syllables (`hangul`)
        | 0xf900..=0xfaff   // CJK compatibility ideographs
    )
}

/// Whether the character at `i` is a Korean particle ending a word ("백업을", "인증서의"): Korean
/// writes spaces between words and fixes these to their ends, so only there are they one.
fn korean_particle(chars: &[char], i: usize) -> bool {
    const PARTICLES: &[char] = &['을', '를', '이', '가', '은', '는', '의', '에', '도', '로'];
    i > 0
        && PARTICLES.contains(&chars[i])
        && hangul(chars[i - 1])
        && chars.get(i + 1).is_none_or(|c| !hangul(*c))
}

fn hangul(c: char) -> bool {
    ('\u{ac00}'..='\u{d7af}').contains(&c)
}

/// Full-width punctuation and forms as the ASCII a binder reads.
fn ascii_form(c: char) -> Option<&'static str> {
    Some(match c {
        '，' | '、' | '・' => ", ",
        '。' => ". ",
        '：' => ": ",
        '；' => "; ",
        '（' => " (",
        '）' => ") ",
        '！' => "! ",
        '？' => "? ",
        '《' | '》' | '「' | '」' | '『' | '』' => "\"",
        '～' => "~",
        '　' => " ",
        _ => return None,
    })
}

/// `text` with its Chinese, Japanese and Korean words in English; the text itself when it has
/// none (most items).
pub fn to_english(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| unspaced(c) || ascii_form(c).is_some() || ('！'..='～').contains(&c))
    {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    // Where each character starts, so a candidate word is a slice of `text`, not a copy.
    let starts: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    // Whether the last thing written was an unknown character of these scripts: a run of
    // them is one word, kept whole.
    let mut in_unknown = false;
    while i < chars.len() {
        let c = chars[i];
        if unspaced(c) {
            let found = (1..=LONGEST.min(chars.len() - i))
                .rev()
                .find_map(|n| look_up(CJK, &text[starts[i]..starts[i + n]]).map(|e| (n, e)));
            match found {
                Some((n, english)) => {
                    out.push(' ');
                    out.push_str(english);
                    out.push(' ');
                    i += n;
                    in_unknown = false;
                }
                None if korean_particle(&chars, i) => i += 1,
                None => {
                    if !in_unknown {
                        out.push(' ');
                    }
                    out.push(c);
                    i += 1;
                    in_unknown = true;
                }
            }
            continue;
        }
        if in_unknown {
            out.push(' ');
            in_unknown = false;
        }
        match ascii_form(c) {
            Some(ascii) => out.push_str(ascii),
            // Full-width letters, digits and signs are their ASCII twins, 0xfee0 apart.
            None if ('！'..='～').contains(&c) => {
                out.push(char::from_u32(c as u32 - 0xfee0).unwrap_or(c));
            }
            None => out.push(c),
        }
        i += 1;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{CJK, LONGEST, to_english};

    fn english(s: &str) -> String {
        to_english(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_table_is_sorted_apart_and_within_the_longest() {
        assert!(CJK.windows(2).all(|p| p[0].0 < p[1].0));
        assert!(CJK.iter().all(|(w, _)| w.chars().count() <= LONGEST));
    }

    #[test]
    fn words_are_found_by_the_longest_match() {
        assert_eq!(
            english("SSL证书有效期>30天"),
            "SSL certificate expiry >30 days"
        );
        assert_eq!(english("配置日志轮转"), "configure log rotation");
        assert_eq!(english("CPU使用率告警（>80%）"), "CPU usage alerts (>80%)");
        assert_eq!(english("测试恢复流程"), "test restore procedure");
    }

    #[test]
    fn particles_are_not_words() {
        assert_eq!(
            english("バックアップのリストアを確認"),
            "backup restore verify"
        );
        assert_eq!(english("백업을 복원 테스트"), "backup restore test");
    }

    #[test]
    fn unknown_characters_stay_one_word() {
        // "彩排" (rehearse) is not in the table: it stays, and says more than the backup.
        assert_eq!(english("备份彩排完成"), "backup 彩排 completed");
    }

    #[test]
    fn text_without_these_scripts_is_untouched() {
        assert!(matches!(
            to_english("Backups tested — café"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
