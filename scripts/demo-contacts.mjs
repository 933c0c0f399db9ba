// Prints the demo organization's contact list as a semicolon CSV, the way a Brazilian shop
// exports it from a spreadsheet: 300 customers with national numbers, e-mail, groups, city
// and whether they accept offers. The same list every time (a fixed pseudo-random sequence).
let seed = 20261130;
const next = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (list) => list[Math.floor(next() * list.length)];

const first = ['Ana', 'Bruno', 'Carla', 'Diego', 'Eduarda', 'Felipe', 'Gabriela', 'Henrique', 'Isabela', 'João',
  'Larissa', 'Lucas', 'Mariana', 'Mateus', 'Natália', 'Otávio', 'Paula', 'Rafael', 'Sofia', 'Thiago', 'Valentina',
  'Vinícius', 'Yasmin', 'Camila', 'Gustavo', 'Helena', 'Pedro', 'Beatriz', 'Rodrigo', 'Júlia'];
const last = ['Silva', 'Souza', 'Oliveira', 'Santos', 'Lima', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento',
  'Carvalho', 'Araújo', 'Ribeiro', 'Gomes', 'Martins', 'Rocha', 'Barbosa', 'Melo', 'Cardoso', 'Teixeira'];
const cities = [['São Paulo', '11'], ['Campinas', '19'], ['Rio de Janeiro', '21'], ['Belo Horizonte', '31'],
  ['Curitiba', '41'], ['Porto Alegre', '51'], ['Salvador', '71'], ['Recife', '81']];
const groups = ['vip', 'loja centro', 'online', 'atacado', 'newsletter'];

const rows = ['Nome;Celular;E-mail;Grupos;Cidade;Aceita ofertas'];
for (let i = 0; i < 300; i++) {
  const name = `${pick(first)} ${pick(last)}`;
  const [city, area] = pick(cities);
  const number = `9${String(81000000 + i * 379).padStart(8, '0')}`;
  const phone = `(${area}) ${number.slice(0, 5)}-${number.slice(5)}`;
  const user = name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(' ', '.');
  const email = next() < 0.7 ? `${user}${i}@example.com` : '';
  const tags = groups.filter(() => next() < 0.25).join(', ');
  const offers = next() < 0.6 ? 'sim' : next() < 0.5 ? 'não' : '';
  rows.push([name, phone, email, tags, city, offers].join(';'));
}
process.stdout.write(rows.join('\n') + '\n');
