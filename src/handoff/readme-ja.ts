// The kit's README.ja.md: what the partner reads, in Japanese (the same facts as readme-en.ts).
import type { ReadmeFacts } from './facts.js';

const fence = (text: string) => ['```sh', text, '```'].join('\n');

function intro(f: ReadmeFacts): string[] {
  return [
    `# ${f.resources.map((r) => r.name).join('、')} へのプライベート接続`,
    '',
    `${f.party} 様（AWS アカウント ${f.plan.account.id}、リージョン ${f.plan.region}）向け。AWS アカウント ${f.owners} が`,
    'Amazon VPC Lattice で共有するリソースに接続します。VPC ピアリング、ルート、ロードバランサーは不要で、',
    'オーナーと同じアドレス範囲の VPC でも構いません。このフォルダーの内容:',
    '',
    '- `template.yaml`: お客様のアカウントに作成する CloudFormation スタック（そのままアップロード。CDK も S3 バケットも不要）',
    '- `kit.json`: 同じ情報をスクリプト向けに',
    `- \`${f.otherReadme}\`: この文書の英語版`,
    '',
    '| リソース | 種類 | ポート | オーナー側のゾーン（ID、オーナーのアカウントでの名前） |',
    '|---|---|---|---|',
    ...f.resources.map((r) => `| ${r.name} | ${r.what} | ${r.ports} | ${r.zones} |`),
  ];
}

function creates(f: ReadmeFacts): string[] {
  return [
    '',
    '## スタックが作るものと費用',
    '',
    `- 選んだ VPC とサブネットにリソース VPC エンドポイント ${f.endpointOutputs.length} 個（サブネットごとにネットワークインターフェイス 1 つ）。`,
    '- エンドポイント用のセキュリティグループ 1 つ。選んだクライアントのセキュリティグループだけを上記のポートで許可し、',
    '  各クライアントグループにはエンドポイントへのアウトバウンドルールを追加します（すべて許可済みなら影響なし）。',
    ...(f.accept
      ? [
          '- `AcceptInvitation=true`（既定）のとき: インラインコードの小さな Lambda 関数、その IAM ロール（RAM の招待を',
          '  読み、オーナーの招待だけを承諾できる）、招待を承諾するカスタムリソース（招待が見えるまで再試行）。',
          '  RAM コンソールで承諾する場合は `AcceptInvitation=false` にしてください。',
        ]
      : []),
    '',
    'お客様のアカウントの費用: リソースエンドポイントごとに時間単位と処理 GB 単位（AWS PrivateLink の料金）。',
    'オーナーのリソースゲートウェイは既定でオーナーに GB 単位で課金されます。ゲートウェイ料金の支払者はエンドポイントごとに',
    '変更できます（EC2 `ModifyVpcEndpointPayerResponsibility`）。オーナーと',
    '取り決めてください。このスタックは変更しません。',
  ];
}

function invitation(f: ReadmeFacts): string[] {
  if (!f.accept) return [];
  const when = f.deadline
    ? `**${f.deadline} より前に**（オーナーの共有から ${f.hours} 時間）`
    : `オーナーの共有から **${f.hours} 時間以内に**（共有した時刻はオーナーにご確認ください）`;
  return [
    '',
    '## 招待とその期限',
    '',
    `オーナーの RAM 共有からお客様のアカウントに招待が届きます。${when}承諾してください。VPC Lattice の`,
    'リソース設定の招待は 12 時間で無効になります。スタックに承諾させる（既定）か、先に承諾します:',
    '',
    fence(
      f.shareArns
        .map(
          (s) =>
            `aws ram get-resource-share-invitations --region ${f.plan.region} --resource-share-arns ${s.arn}\n` +
            `aws ram accept-resource-share-invitation --region ${f.plan.region} --resource-share-invitation-arn <上の resourceShareInvitationArn>`,
        )
        .join('\n'),
    ),
    '',
    '期限を過ぎた場合（スタックが「the invitation is EXPIRED」で失敗する、または招待が表示されない）は、オーナーに',
    `再共有を依頼してください。オーナーは \`lattice-share reinvite <config> --account ${f.plan.account.name} --apply\` を実行します。`,
    '共有の ARN は変わらないので、テンプレートはそのままです。失敗したスタックを削除して作り直してください。',
  ];
}

function steps(f: ReadmeFacts): string[] {
  return [
    '',
    '## 手順',
    '',
    'コンソール: CloudFormation → スタックの作成 → 新しいリソースを使用 → テンプレートファイルのアップロード → `template.yaml`。',
    '「Your network」でクライアントの VPC、上記の各ゾーンにサブネットを 1 つずつ（ゾーンは ID で照合。同じ名前でも',
    'アカウントが違えば別のゾーンです）、クライアントのセキュリティグループ (ID でさらに 2 つまで。同じグループを 2 度選ぶと同じルールが 2 つになり、EC2 が拒否します) を選びます。「From the owner」の値はそのままにし、',
    'IAM リソースの作成を承認して作成します。',
    '',
    'AWS CLI:',
    '',
    fence(f.deployCommand),
    '',
    '選んだセキュリティグループのクライアントから確認します（名前はお客様の VPC の中でだけ解決されます）:',
    '',
    fence(
      f.connect.length
        ? f.connect.map((c) => c.command).join('\n')
        : `aws ec2 describe-vpc-endpoint-associations --region ${f.plan.region} --vpc-endpoint-ids <出力のエンドポイント ID>\nnc -vz <上の DnsEntry.DnsName> <ポート>`,
    ),
    '',
    'スタックの出力には、エンドポイント、使う名前、データベースならパスワードを含まない接続文字列があります。',
    '認証情報はオーナーから通常の秘密情報の経路で受け取ってください。このキットには含まれません。',
  ];
}

function closing(f: ReadmeFacts): string[] {
  return [
    '',
    '## 返送するもの',
    '',
    '必須のものはありません。オーナーは自分の側からお客様のエンドポイントを確認できます。サポートが必要なときは',
    `スタックの出力 ${f.endpointOutputs.map((o) => `\`${o}\``).join('、')} をお送りください。`,
    '',
    '## 削除',
    '',
    fence(`aws cloudformation delete-stack --region ${f.plan.region} --stack-name ${f.stackName}`),
    '',
    'スタックを削除するとエンドポイントとルールが消えます。オーナーの共有からは抜けません。共有からお客様のアカウントを',
    '外すのはオーナーです。',
    ...(f.pending.length
      ? [
          '',
          `**未記入:** ${f.pending.join('、')}。オーナーがスタックをデプロイした後に記入します。デプロイ後に作ったキットを`,
          '依頼してください。',
        ]
      : []),
    '',
  ];
}

export function readmeJa(f: ReadmeFacts): string {
  return [...intro(f), ...creates(f), ...invitation(f), ...steps(f), ...closing(f)].join('\n');
}
